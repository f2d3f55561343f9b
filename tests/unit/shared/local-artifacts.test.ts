import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { zipBuffer } from "../../../local/zip.js";
import { type LocalInputArtifact, openInputArtifact } from "../../../shared/artifacts/index.js";
import { RuleError } from "../../../shared/errors.js";
import type { CodePipelineJob } from "../../../shared/job.js";
import { rawZip } from "../../support/zips.js";

const root = mkdtempSync(join(tmpdir(), "local-artifacts-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const jobWith = (...artifacts: Array<[string, string]>): CodePipelineJob => ({
  id: "local",
  accountId: undefined,
  configuration: {},
  userParameters: undefined,
  inputArtifacts: artifacts.map(
    ([name, localPath]): LocalInputArtifact => ({
      name,
      revision: undefined,
      bucket: "",
      key: "",
      localPath,
    }),
  ),
  artifactCredentials: undefined,
  encryptionKey: undefined,
  continuationToken: undefined,
});

const folder = join(root, "build");
mkdirSync(join(folder, "reports", "nested"), { recursive: true });
writeFileSync(join(folder, "coverage.json"), '{"total": 91}');
writeFileSync(join(folder, "reports", "nested", "junit.xml"), "<testsuite/>");
// Written decomposed (as macOS does), looked up composed, as for zips from S3.
writeFileSync(join(folder, "Re\u0301sume\u0301.txt"), "accents");
symlinkSync(join(folder, "coverage.json"), join(folder, "linked.json"));

describe("local input artifacts (the command line's seam)", () => {
  it("reads a folder as the zip of its files, with paths relative to it", async () => {
    const artifact = await openInputArtifact(jobWith(["BuildArtifact", folder]));
    try {
      expect(artifact.name).toBe("BuildArtifact");
      expect(artifact.location).toBe(folder);
      expect([...artifact.files].sort()).toEqual(
        ["Résumé.txt", "coverage.json", "linked.json", "reports/nested/junit.xml"].sort(),
      );
      expect(await artifact.readText("reports/nested/junit.xml")).toBe("<testsuite/>");
      expect(await artifact.readText("linked.json")).toBe('{"total": 91}');
      expect(await artifact.readText("Résumé.txt")).toBe("accents");
    } finally {
      artifact.close();
    }
  });

  it("reads a zip file in place, by name among several", async () => {
    const zip = join(root, "reports.zip");
    writeFileSync(zip, await zipBuffer({ "junit.xml": "<testsuite tests='1'/>" }));
    const artifact = await openInputArtifact(jobWith(["Build", folder], ["Reports", zip]), {
      name: "Reports",
    });
    try {
      expect(artifact.files).toEqual(["junit.xml"]);
      expect(await artifact.readText("junit.xml")).toBe("<testsuite tests='1'/>");
      expect(artifact.describeMissing("junit.xm")).toContain(`input artifact "Reports" (${zip})`);
    } finally {
      artifact.close();
    }
  });

  it("applies the same limits as in S3: entries that climb out are never read", async () => {
    const zip = join(root, "hostile.zip");
    writeFileSync(
      zip,
      rawZip([
        { name: "../escape.txt", data: "x" },
        { name: "ok.txt", data: "y" },
      ]),
    );
    const artifact = await openInputArtifact(jobWith(["A", zip]));
    try {
      expect(artifact.files).toEqual(["ok.txt"]);
      expect(artifact.unsafeNames).toEqual(["../escape.txt"]);
    } finally {
      artifact.close();
    }
  });

  it("fails the job for a file that is not a zip, naming it", async () => {
    const notZip = join(root, "notes.txt");
    writeFileSync(notZip, "not a zip");
    const error = await openInputArtifact(jobWith(["A", notZip])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleError);
    expect((error as RuleError).type).toBe("JobFailed");
    expect((error as RuleError).message).toContain(
      `input artifact "A" (${notZip}) is not a readable zip archive`,
    );
  });

  it("fails the job for a path that does not exist", async () => {
    const error = await openInputArtifact(jobWith(["A", join(root, "missing")])).catch((e: unknown) => e);
    expect((error as RuleError).type).toBe("JobFailed");
    expect((error as RuleError).message).toMatch(/cannot be read: .*ENOENT/);
  });

  it("removes the temporary zip of a folder when the artifact is closed", async () => {
    // A temporary folder of our own (os.tmpdir() reads TMPDIR), so other test processes' zips do not count.
    const privateTmp = join(root, "tmp");
    mkdirSync(privateTmp);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    try {
      const artifact = await openInputArtifact(jobWith(["A", folder]));
      expect(readdirSync(privateTmp)).toHaveLength(1);
      artifact.close();
      await expect.poll(() => readdirSync(privateTmp)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });
});

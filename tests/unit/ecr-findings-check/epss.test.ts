import { Inspector2Client, ListFindingsCommand } from "@aws-sdk/client-inspector2";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { readEpssScores, withEpss } from "../../../functions/ecr-findings-check/epss.js";
import type { Finding } from "../../../functions/ecr-findings-check/findings.js";
import { RuleError } from "../../../shared/errors.js";

const inspector = mockClient(Inspector2Client);
const DIGEST = `sha256:${"4".repeat(64)}`;
const ref = { repository: "web", digest: DIGEST, region: "us-east-1", registryId: "123456789012" };
const signal = new AbortController().signal;
const inspectorFinding = (id: string, epss?: number) => ({
  findingArn: `arn:aws:inspector2:us-east-1:123456789012:finding/${id}`,
  packageVulnerabilityDetails: { vulnerabilityId: id },
  ...(epss === undefined ? {} : { epss: { score: epss } }),
});

beforeEach(() => inspector.reset());

describe("readEpssScores", () => {
  it("filters Inspector findings by the image's digest, repository and account, and reads every page", async () => {
    inspector
      .on(ListFindingsCommand)
      .resolvesOnce({ findings: [inspectorFinding("CVE-1", 0.9)] as never, nextToken: "t1" })
      .resolvesOnce({ findings: [inspectorFinding("CVE-2", 0.02), inspectorFinding("CVE-3")] as never });
    const { scores, pages } = await readEpssScores(ref, signal);
    expect(pages).toBe(2);
    expect([...scores]).toEqual([
      ["cve-1", 0.9],
      ["cve-2", 0.02],
    ]);
    const calls = inspector.commandCalls(ListFindingsCommand).map((c) => c.args[0].input);
    expect(calls[0]?.filterCriteria).toEqual({
      ecrImageHash: [{ comparison: "EQUALS", value: DIGEST }],
      ecrImageRepositoryName: [{ comparison: "EQUALS", value: "web" }],
      awsAccountId: [{ comparison: "EQUALS", value: "123456789012" }],
    });
    expect(calls[1]?.nextToken).toBe("t1");
  });

  it("fails rather than loop when Inspector repeats a page token", async () => {
    inspector.on(ListFindingsCommand).resolves({ findings: [], nextToken: "same" });
    await expect(readEpssScores(ref, signal)).rejects.toThrow("same page token twice");
  });

  it("turns access denied into a PermissionError naming inspector2:ListFindings", async () => {
    inspector
      .on(ListFindingsCommand)
      .rejects(Object.assign(new Error("not allowed"), { name: "AccessDeniedException", $metadata: {} }));
    const error = (await readEpssScores(ref, signal).catch((e: unknown) => e)) as RuleError;
    expect(error).toBeInstanceOf(RuleError);
    expect(error.type).toBe("PermissionError");
    expect(error.message).toContain(
      "Access denied calling inspector2:ListFindings for web@sha256:444444444444…",
    );
  });
});

describe("withEpss", () => {
  it("adds a CVE's EPSS to each of its findings, case-insensitively", () => {
    const finding = (id: string): Finding => ({ id, severity: "HIGH", packages: [], source: "enhanced" });
    const scores = new Map([["cve-1", 0.5]]);
    expect(withEpss([finding("CVE-1"), finding("CVE-2")], scores).map((f) => f.epss)).toEqual([
      0.5,
      undefined,
    ]);
  });
});

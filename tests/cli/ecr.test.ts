import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ECRClient } from "@aws-sdk/client-ecr";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  basicFinding,
  ecrClientFor,
  injectScanResults,
  type ScanResultOptions,
  scanResult,
  seedImage,
  uniqueRepositoryName,
} from "../../local/ecr-fixtures.js";
import { expectUsageError, runCli } from "./support.js";

const dir = mkdtempSync(join(tmpdir(), "cli-ecr-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let moto: string;
let ecr: ECRClient;
beforeAll(() => {
  moto = inject("motoEndpoint");
  ecr = ecrClientFor(moto);
});

/** The standard SDK settings a CodeBuild job or a laptop would have, pointed at moto. */
const awsEnv = () => ({
  AWS_ENDPOINT_URL: moto,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "testing",
  AWS_SECRET_ACCESS_KEY: "testing",
});

const imageWith = async (scan: ScanResultOptions) => {
  const image = await seedImage(ecr, { repository: uniqueRepositoryName("cli-ecr"), tag: "v1" });
  await injectScanResults(moto, [scanResult(image, scan)]);
  return image;
};

describe("codepipeline-gates check ecr-findings-check (against moto)", () => {
  it("fails on a critical finding of --image, exit 1, with the pipeline's message", async () => {
    const image = await imageWith({
      findings: [basicFinding("CVE-2024-0001", "CRITICAL", { name: "openssl", version: "3.0.1" })],
    });
    const run = await runCli(["check", "ecr-findings-check", "--image", image.tagUri], { env: awsEnv() });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAILED ecr-findings-check \(JobFailed\)\n/);
    expect(run.stdout).toContain("CVE-2024-0001");
    expect(run.stdout).toContain(image.repository);
  });

  it("passes an image whose findings are under the policy, read from imageDetail.json in an artifact folder", async () => {
    const image = await imageWith({ findings: [basicFinding("CVE-2024-0002", "MEDIUM")] });
    const artifact = join(dir, "detail");
    mkdirSync(artifact, { recursive: true });
    writeFileSync(join(artifact, "imageDetail.json"), JSON.stringify({ ImageURI: image.tagUri }));
    const run = await runCli(
      [
        "check",
        "ecr-findings-check",
        "--json",
        "--params",
        '{"failOnSeverity": "HIGH"}',
        "--artifact",
        artifact,
      ],
      { env: awsEnv() },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      rule: "ecr-findings-check",
      outcome: "succeeded",
      summary: expect.stringContaining(image.repository),
    });
  });

  it("reports a missing image as the Lambda does, with exit code by failure type", async () => {
    const image = await imageWith({ findings: [] });
    const run = await runCli(
      [
        "check",
        "ecr-findings-check",
        "--json",
        "--params",
        '{"waitForScanSeconds": 0}',
        "--image",
        `${image.tagUri}x`,
      ],
      { env: awsEnv() },
    );
    const shown = JSON.parse(run.stdout) as { outcome: string; type: string };
    expect(shown.outcome).toBe("failed");
    expect(run.code).toBe(shown.type === "JobFailed" ? 1 : shown.type === "ConfigurationError" ? 2 : 3);
  });

  it("gives exit 3 when AWS cannot be reached", async () => {
    const run = await runCli(
      [
        "check",
        "ecr-findings-check",
        "--json",
        "--image",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1",
      ],
      { env: { ...awsEnv(), AWS_ENDPOINT_URL: "http://127.0.0.1:9", AWS_MAX_ATTEMPTS: "1" } },
    );
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: "failed", type: "SystemUnavailable" });
    expect(run.code).toBe(3);
  });

  it("gives exit 3 (PermissionError) without any credentials", async () => {
    const run = await runCli(
      [
        "check",
        "ecr-findings-check",
        "--json",
        "--image",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1",
      ],
      {
        env: {
          ...awsEnv(),
          AWS_ACCESS_KEY_ID: undefined,
          AWS_SECRET_ACCESS_KEY: undefined,
          AWS_PROFILE: undefined,
          AWS_CONFIG_FILE: join(dir, "no-config"),
          AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-credentials"),
          AWS_EC2_METADATA_DISABLED: "true",
        },
      },
    );
    expect(JSON.parse(run.stdout)).toMatchObject({
      outcome: "failed",
      type: "PermissionError",
      message: expect.stringContaining("Could not load credentials"),
    });
    expect(run.code).toBe(3);
  });

  it("takes the region from the profile when AWS_REGION is not set, as the AWS CLI does", async () => {
    const image = await seedImage(ecrClientFor(moto, "eu-west-3"), {
      repository: uniqueRepositoryName("cli-region"),
      tag: "v1",
    });
    await injectScanResults(moto, [scanResult(image, { findings: [] })], "eu-west-3");
    const config = join(dir, "config");
    writeFileSync(config, "[default]\nregion = eu-west-3\n");
    const params = JSON.stringify({ image: { repository: image.repository, tag: "v1" } });
    const run = await runCli(["check", "ecr-findings-check", "--json", "--params", params], {
      env: { ...awsEnv(), AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_CONFIG_FILE: config },
    });
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: "succeeded" });
    expect(run.code).toBe(0);
  });

  it("refuses an image given twice", async () => {
    expectUsageError(
      await runCli(["check", "ecr-findings-check", "--params", '{"image": "a"}', "--image", "b"], {
        env: awsEnv(),
      }),
      /--image and UserParameters "image" both name the image/,
    );
  });
});

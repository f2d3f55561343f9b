import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ECRClient } from "@aws-sdk/client-ecr";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  basicFinding,
  ecrClientFor,
  injectScanResults,
  scanResult,
  seedImage,
  uniqueRepositoryName,
} from "../../local/ecr-fixtures.js";
import { jobEvent } from "../../local/job-event.js";
import { zipBuffer } from "../../local/zip.js";
import { createBucket, putObject, useLocalAws } from "../support/aws.js";
import { invokeBundle } from "../support/lambda.js";
import { captureLogs } from "../support/logs.js";
import { onlyResult, outcomeOf } from "../support/outcomes.js";
import { runCli } from "./support.js";

/**
 * The command line decides as the Lambda does: the same configuration and input, once through
 * the built function bundle (artifact in moto S3, reported to the local CodePipeline endpoint) and
 * once through the built command line, give the same outcome, type and text.
 */
const aws = useLocalAws();
const dir = mkdtempSync(join(tmpdir(), "cli-same-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let bucket: string;
let ecr: ECRClient;
beforeAll(async () => {
  bucket = await createBucket(aws.s3, "cli-same");
  ecr = ecrClientFor(aws.moto);
});

const awsEnv = () => ({
  AWS_ENDPOINT_URL: aws.moto,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "testing",
  AWS_SECRET_ACCESS_KEY: "testing",
});

/** What the pipeline shows for a job run through the function bundle. */
const throughLambda = async (rule: string, userParameters: string, artifact?: { key: string }) => {
  const event = jobEvent({
    userParameters,
    artifacts: artifact ? [{ name: "BuildArtifact", bucket, key: artifact.key }] : [],
  });
  const logs = captureLogs();
  try {
    await invokeBundle(rule, event);
  } finally {
    logs.restore();
  }
  const outcome = outcomeOf(onlyResult(aws.codePipeline, event["CodePipeline.job"].id));
  return outcome.operation === "PutJobSuccessResult"
    ? { outcome: "succeeded", summary: outcome.summary }
    : { outcome: "failed", type: outcome.type, message: outcome.message };
};

/** What the command line prints with --json, without the rule name. */
const throughCli = async (args: string[]) => {
  const run = await runCli([...args, "--json"], { env: awsEnv() });
  const { rule: _rule, ...shown } = JSON.parse(run.stdout) as Record<string, unknown>;
  return shown;
};

describe("the command line decides as the Lambda does", () => {
  it("artifact-check: JSON, YAML, JUnit and text checks on the same zip", async () => {
    const fixtures = JSON.parse(
      readFileSync("events/artifact-check/fixtures/artifacts.json", "utf8"),
    ) as Record<string, Record<string, string>>;
    const event = JSON.parse(readFileSync("events/artifact-check/multi-check-fail.json", "utf8"));
    const userParameters: string =
      event["CodePipeline.job"].data.actionConfiguration.configuration.UserParameters;
    const zip = await zipBuffer(fixtures["demo-pipeline/BuildArtif/multi-fail"] ?? {});
    const key = "cli-same/BuildArtif/multi-fail";
    await putObject(aws.s3, bucket, key, zip);
    const zipPath = join(dir, "BuildArtifact.zip");
    writeFileSync(zipPath, zip);

    const lambda = await throughLambda("artifact-check", userParameters, { key });
    const cli = await throughCli([
      "check",
      "artifact-check",
      "--params",
      userParameters,
      "--artifact",
      `BuildArtifact=${zipPath}`,
    ]);
    expect(lambda.outcome).toBe("failed");
    expect((lambda.message ?? "").split("\n").length).toBeGreaterThan(3);
    // The artifact's location is the one thing that differs: s3://… in the pipeline, the path here.
    const cliMessage = String(cli.message).replaceAll(zipPath, `s3://${bucket}/${key}`);
    expect({ ...cli, message: cliMessage }).toEqual(lambda);
  });

  it("ecr-findings-check: the same image in moto ECR", async () => {
    const image = await seedImage(ecr, { repository: uniqueRepositoryName("cli-same"), tag: "v1" });
    await injectScanResults(aws.moto, [
      scanResult(image, {
        findings: [
          basicFinding("CVE-2024-6387", "CRITICAL", {
            name: "openssh-server",
            version: "1:9.2p1-2",
            score: 8.1,
          }),
          basicFinding("CVE-2023-44487", "HIGH", { name: "nghttp2", version: "1.52.0-1", score: 7.5 }),
        ],
      }),
    ]);
    const userParameters = JSON.stringify({ image: image.tagUri, failOnSeverity: "HIGH" });
    const lambda = await throughLambda("ecr-findings-check", userParameters);
    const cli = await throughCli(["check", "ecr-findings-check", "--params", userParameters]);
    expect(lambda).toMatchObject({ outcome: "failed", type: "JobFailed" });
    expect(cli).toEqual(lambda);
  });

  it("a configuration error: the same message", async () => {
    const userParameters = '{"checks": [{"fiel": "a.json", "expect": "x"}], "artefact": "B"}';
    const lambda = await throughLambda("artifact-check", userParameters, { key: "none" });
    const cli = await throughCli(["check", "artifact-check", "--params", userParameters, "--artifact", dir]);
    expect(lambda).toMatchObject({ outcome: "failed", type: "ConfigurationError" });
    expect(cli).toEqual(lambda);
  });
});

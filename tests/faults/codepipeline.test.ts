import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { InjectedFault } from "../../local/codepipeline-endpoint.js";
import {
  ecrClientFor,
  injectScanResults,
  scanResult,
  seedImage,
  uniqueRepositoryName,
} from "../../local/ecr-fixtures.js";
import { jobEvent } from "../../local/job-event.js";
import { zipBuffer } from "../../local/zip.js";
import { createBucket, putObject, useLocalAws } from "../support/aws.js";
import { FUNCTIONS, type FunctionName, invoke, recordedOutcome } from "../support/fault-matrix.js";

/**
 * Fault matrix, CodePipeline: the job-result API throttles, fails, says the job already has its
 * result, or is down for good. One result lands (or the job already had one), the handler never
 * throws (a throw makes Lambda retry and evaluate twice) and it ends before its deadline.
 */
const aws = useLocalAws();
const events = {} as Record<FunctionName, () => ReturnType<typeof jobEvent>>;

beforeAll(async () => {
  const bucket = await createBucket(aws.s3, "faults-codepipeline");
  await putObject(aws.s3, bucket, "p/BuildArtif/ok", await zipBuffer({ "status.json": '{"ready": true}' }));
  const image = await seedImage(ecrClientFor(aws.moto), { repository: uniqueRepositoryName("faults-cp") });
  await injectScanResults(aws.moto, [scanResult(image, { findings: [] })]);
  events["ecr-findings-check"] = () => jobEvent({ userParameters: { image: image.digestUri } });
  events["artifact-check"] = () =>
    jobEvent({
      userParameters: { checks: [{ file: "status.json", expect: "ready" }] },
      artifacts: [{ name: "BuildArtifact", bucket, key: "p/BuildArtif/ok" }],
    });
  events["window-check"] = () =>
    jobEvent({ userParameters: { deny: [{ from: "2199-01-01", to: "2199-01-02" }] } });
});
beforeEach(() => aws.codePipeline.reset());

/**
 * The reporting code is the same runtime in every bundle. Every bundle meets 500s, rejections and
 * a hang; throttling (the SDK backs off from 500 ms) is spread one row per bundle to keep it fast.
 */
const retried: Array<{ name: string; faults: InjectedFault[]; fns?: FunctionName[] }> = [
  { name: "throttling", faults: ["throttle"], fns: ["window-check"] },
  { name: "500s", faults: ["server-error", "server-error"] },
  {
    name: "throttling, then 500s (the last of four attempts lands)",
    faults: ["throttle", "server-error", "server-error"],
    fns: ["artifact-check"],
  },
];

const givenUp: Array<{
  name: string;
  fault: InjectedFault;
  timeoutMs: number;
  calls: number;
  says: string;
  fns?: FunctionName[];
}> = [
  {
    name: "500 on every call",
    fault: "server-error",
    timeoutMs: 30_000,
    calls: 4,
    says: "InternalFailure: Injected server error",
  },
  {
    name: "throttling on every call",
    fault: "throttle",
    timeoutMs: 30_000,
    calls: 4,
    says: "ThrottlingException: Rate exceeded",
    fns: ["ecr-findings-check"],
  },
  {
    name: "JobNotFoundException",
    fault: "job-not-found",
    timeoutMs: 30_000,
    calls: 1,
    says: "JobNotFoundException: The job was not found",
  },
  {
    name: "no answer until after the deadline",
    fault: { delayMs: 60_000 },
    timeoutMs: 1_500,
    calls: 1,
    says: "",
  },
];

const each = <T extends { fns?: FunctionName[] }>(rows: T[]) =>
  rows.flatMap((row) => (row.fns ?? FUNCTIONS).map((fn) => ({ ...row, fn })));

describe("fault matrix: CodePipeline", () => {
  it.each(each(retried))("$fn: $name is retried and exactly one result lands", async ({ fn, faults }) => {
    aws.codePipeline.injectFaults(...faults);
    const run = await invoke(fn, events[fn]());
    expect(run.returned?.reported).toBe("reported");
    expect(recordedOutcome(aws.codePipeline, run.jobId).type).toBe("success");
    expect(aws.codePipeline.calls).toBe(faults.length + 1);
  });

  it.each(each<{ name: string; fns?: FunctionName[] }>([{ name: "InvalidJobStateException" }]))(
    "$fn: $name is taken as already reported",
    async ({ fn }) => {
      aws.codePipeline.injectFaults("invalid-job-state");
      const run = await invoke(fn, events[fn]());
      expect(run.returned?.reported).toBe("already-reported");
      expect(aws.codePipeline.resultsFor(run.jobId)).toHaveLength(0);
      expect(aws.codePipeline.calls).toBe(1);
      expect(run.logs).toContainEqual(
        expect.objectContaining({
          level: "WARN",
          message: "Job already has a result; nothing more to report",
        }),
      );
    },
  );

  it.each(each(givenUp))(
    "$fn: down for good ($name): ends in time, logs why, throws nothing",
    async ({ fn, fault, timeoutMs, calls, says }) => {
      aws.codePipeline.failAlways(fault);
      const run = await invoke(fn, events[fn](), { timeoutMs });
      expect(run.returned?.reported).toBe("not-reported");
      expect(aws.codePipeline.calls).toBe(calls);
      const why = run.logs.find((l) => l.message === "Could not report the outcome to CodePipeline");
      expect(why).toMatchObject({ level: "ERROR", outcomeStatus: "succeeded", jobId: run.jobId });
      expect(String(why?.reportError)).toContain(says);
      expect(run.logs).toContainEqual(
        expect.objectContaining({ message: "Rule finished", reported: "not-reported" }),
      );
    },
  );
});

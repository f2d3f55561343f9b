/**
 * Findings at scale: the ECR policy over 1,000 / 10,000 / 50,000 findings in the basic and the
 * enhanced shape. Pure: normalising the SDK shapes and evaluating the verdict (median of several
 * runs in this process, after a warm-up). End to end: the built bundle run in a fresh process
 * against moto_server holding that many findings, against the same with one finding (the
 * function's own durationMs, from its "Rule finished" log line).
 */

import { evaluate } from "../functions/ecr-findings-check/evaluate.js";
import { fromBasicFinding, fromEnhancedFinding } from "../functions/ecr-findings-check/findings.js";
import { paramsSchema } from "../functions/ecr-findings-check/params.js";
import {
  basicFinding,
  ecrClientFor,
  enhancedFinding,
  injectScanResults,
  scanResult,
  seedImage,
} from "../local/ecr-fixtures.js";
import { jobEvent } from "../local/job-event.js";
import { startLocalAws } from "../local/local-aws.js";
import { buildBundles, runBundle } from "../local/run-bundle.js";

const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"];
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const rawFindings = (count: number, shape: "basic" | "enhanced") =>
  Array.from({ length: count }, (_, i) => {
    const id = `CVE-2024-${String(10000 + i)}`;
    const severity = SEVERITIES[i % SEVERITIES.length] ?? "LOW";
    const pkg = { name: `pkg-${i % 300}`, version: `1.${i % 17}.0`, score: (i % 100) / 10 };
    return shape === "basic"
      ? basicFinding(id, severity, pkg)
      : enhancedFinding(id, severity, { ...pkg, ...(i % 3 === 0 ? { fixedInVersion: "2.0.0" } : {}) });
  });

const POLICY = {
  failOnSeverity: "CRITICAL",
  maxFindings: { HIGH: 5 },
  minScore: 2,
  ignore: [{ id: "CVE-2024-10000", reason: "benchmark", expires: "2099-12-31" }],
};

export interface FindingsRow {
  shape: "basic" | "enhanced";
  count: number;
  /** Normalising the SDK objects and evaluating, median ms. */
  pureMs: number;
  /** The function's durationMs end to end against moto, and the same with one finding. */
  endToEndMs?: number;
  oneFindingMs?: number;
  /** The invocation's CPU time (user + system), and the same with one finding: waits on moto left out. */
  cpuMs?: number;
  oneFindingCpuMs?: number;
  /** moto's own time to answer that DescribeImageScanFindings call (a raw HTTP request), median ms. */
  motoMs?: number;
}

/** Times moto answering DescribeImageScanFindings directly, without the SDK or our code. */
const timeMotoResponse = async (endpoint: string, repository: string, digest: string, runs: number) => {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const response = await fetch(`${endpoint}/`, {
      method: "POST",
      headers: {
        "x-amz-target": "AmazonEC2ContainerRegistry_V20150921.DescribeImageScanFindings",
        "content-type": "application/x-amz-json-1.1",
        authorization:
          "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=0",
      },
      body: JSON.stringify({ repositoryName: repository, imageId: { imageDigest: digest } }),
    });
    await response.text();
    samples.push(performance.now() - started);
  }
  return Math.round(median(samples));
};

export const pureFindingsBench = (counts = [1_000, 10_000, 50_000], runs = 7): FindingsRow[] => {
  const params = paramsSchema.parse({
    ...POLICY,
    image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1",
  });
  const now = new Date();
  const rows: FindingsRow[] = [];
  for (const shape of ["basic", "enhanced"] as const) {
    for (const count of counts) {
      const raw = rawFindings(count, shape);
      const once = () => {
        const started = performance.now();
        const findings = raw.map(shape === "basic" ? fromBasicFinding : fromEnhancedFinding);
        evaluate(
          {
            images: [
              {
                ref: {
                  registryId: "123456789012",
                  region: "us-east-1",
                  repository: "app",
                  digest: `sha256:${"a".repeat(64)}`,
                  tag: "v1",
                },
                origin: "UserParameters.image",
                scan: {
                  kind: "scanned",
                  scanType: shape,
                  status: shape === "basic" ? "COMPLETE" : "ACTIVE",
                  completedAt: now,
                  findings,
                },
              },
            ],
          },
          params,
          now,
        );
        return performance.now() - started;
      };
      once();
      rows.push({ shape, count, pureMs: Number(median(Array.from({ length: runs }, once)).toFixed(1)) });
    }
  }
  return rows;
};

/** Seeds one image per (shape, count) in moto and runs the bundle against each. */
export const endToEndFindingsBench = async (rows: FindingsRow[], runs = 3): Promise<FindingsRow[]> => {
  await buildBundles(["ecr-findings-check"]);
  const local = await startLocalAws();
  try {
    const ecr = ecrClientFor(local.moto.endpoint);
    const invoke = async (repository: string) => {
      const samples: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < runs; i++) {
        const event = jobEvent({
          userParameters: {
            ...POLICY,
            image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${repository}:v1`,
          },
        });
        const run = await runBundle("ecr-findings-check", event, { env: local.env, timeoutMs: 300_000 });
        const finished = run.logs
          .map((l) => JSON.parse(l) as Record<string, unknown>)
          .find((l) => l.message === "Rule finished");
        if (!finished) throw new Error(`no result for ${repository}: ${run.error ?? run.logs.join("\n")}`);
        samples.push(Number(finished.durationMs));
        cpu.push(Number(run.invokeCpuMs));
      }
      return { durationMs: median(samples), cpuMs: Math.round(median(cpu)) };
    };
    const seed = async (repository: string, shape: "basic" | "enhanced", count: number) => {
      const image = await seedImage(ecr, { repository, tag: "v1", seed: repository, scan: true });
      const findings = rawFindings(count, shape);
      await injectScanResults(local.moto.endpoint, [
        scanResult(image, shape === "basic" ? { findings } : { enhancedFindings: findings }),
      ]);
      return image.digest;
    };
    for (const shape of ["basic", "enhanced"] as const) {
      await seed(`bench-${shape}-1`, shape, 1);
      const one = await invoke(`bench-${shape}-1`);
      for (const row of rows.filter((r) => r.shape === shape)) {
        const repository = `bench-${shape}-${row.count}`;
        const digest = await seed(repository, shape, row.count);
        const many = await invoke(repository);
        row.endToEndMs = many.durationMs;
        row.cpuMs = many.cpuMs;
        row.motoMs = await timeMotoResponse(local.moto.endpoint, repository, digest, runs);
        row.oneFindingMs = one.durationMs;
        row.oneFindingCpuMs = one.cpuMs;
      }
    }
  } finally {
    await local.stop();
  }
  return rows;
};

if (process.argv[1]?.endsWith("findings.ts")) {
  console.table(await endToEndFindingsBench(pureFindingsBench()));
}

/**
 * Artifact read benchmark: one small file out of artifacts of several sizes (most of each
 * incompressible), served by moto_server. Each read runs in a fresh Node process (the built
 * reader script) so that peak RSS is the read's own. Compares our ranged reader (yauzl over ranged
 * GETs) with two whole-object readers (download everything, then unzip in memory with yauzl, or
 * with adm-zip, which the project's design card first named) and with `unzip -p` on a local copy
 * (the floor).
 *
 *   npx tsx bench/artifact-read.ts [--sizes 1,100,500] [--runs 3]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { build } from "esbuild";
import { startMoto } from "../local/moto.js";
import { zipToFile } from "../local/zip.js";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const work = join(".tmp", "bench-artifacts");
const SMALL_FILE = "reports/version.json";

export interface ArtifactReadRow {
  sizeMb: number;
  zipBytes: number;
  entryCompressed: number;
  centralDirectory: number;
  ranged: { ms: number; peakRssMb: number; bytesMoved: number };
  naive: { ms: number; peakRssMb: number; bytesMoved: number };
  admZip: { ms: number; peakRssMb: number; bytesMoved: number };
  unzipMs: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Sizes of the small entry (compressed) and the central directory, read with zipinfo-like parsing. */
const zipLayout = (path: string) => {
  const listing = execFileSync("unzip", ["-Zl", path], { encoding: "utf8" });
  const line = listing.split("\n").find((l) => l.endsWith(SMALL_FILE)) ?? "";
  const compressed = Number(line.trim().split(/\s+/)[5] ?? 0);
  const zip = execFileSync("unzip", ["-Zv", path], { encoding: "utf8" });
  const cd = Number(zip.match(/central directory.*?is (\d+) \(/s)?.[1] ?? 0);
  return { entryCompressed: compressed, centralDirectory: cd };
};

export const runArtifactReadBench = async (sizesMb = [1, 100, 500], runs = 3): Promise<ArtifactReadRow[]> => {
  mkdirSync(work, { recursive: true });
  const reader = join(work, "read-one.mjs");
  await build({
    entryPoints: ["bench/read-one.ts"],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    mainFields: ["module", "main"],
    outfile: reader,
    logLevel: "warning",
  });
  const moto = await startMoto();
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "bench",
    AWS_SECRET_ACCESS_KEY: "bench",
  };
  const s3 = new S3Client({
    region: "us-east-1",
    endpoint: moto.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: "b", secretAccessKey: "b" },
  });
  const bucket = "bench-artifacts";
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const rows: ArtifactReadRow[] = [];
  try {
    for (const sizeMb of sizesMb) {
      const path = join(work, `artifact-${sizeMb}mb.zip`);
      const blob = join(work, `noise-${sizeMb}mb.bin`);
      writeFileSync(blob, randomBytes(Math.max(1, sizeMb * 1024 * 1024 - 64 * 1024)));
      const { createReadStream } = await import("node:fs");
      await zipToFile(path, {
        "image/layer.tar": { stream: createReadStream(blob), size: statSync(blob).size },
        [SMALL_FILE]: JSON.stringify({ version: "1.4.2", channel: "stable" }),
      });
      rmSync(blob);
      const key = `bench/BuildArtif/${sizeMb}mb`;
      const { readFileSync } = await import("node:fs");
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: readFileSync(path) }));
      const measure = (mode: string) =>
        Array.from({ length: runs }, () => {
          const out = spawnSync(process.execPath, [reader, mode, bucket, key, SMALL_FILE], {
            env,
            encoding: "utf8",
          });
          if (out.status !== 0) throw new Error(`${mode} read failed: ${out.stderr}`);
          return JSON.parse(out.stdout.trim().split("\n").at(-1) ?? "{}") as {
            ms: number;
            peakRssMb: number;
            bytesMoved: number;
          };
        });
      const summarize = (samples: Array<{ ms: number; peakRssMb: number; bytesMoved: number }>) => ({
        ms: median(samples.map((s) => s.ms)),
        peakRssMb: median(samples.map((s) => s.peakRssMb)),
        bytesMoved: median(samples.map((s) => s.bytesMoved)),
      });
      const ranged = summarize(measure("ranged"));
      const naive = summarize(measure("naive"));
      const admZip = summarize(measure("adm-zip"));
      const unzipMs = median(
        Array.from({ length: runs }, () => {
          const t = performance.now();
          execFileSync("unzip", ["-p", path, SMALL_FILE]);
          return performance.now() - t;
        }),
      );
      rows.push({
        sizeMb,
        zipBytes: statSync(path).size,
        ...zipLayout(path),
        ranged,
        naive,
        admZip,
        unzipMs: Math.round(unzipMs),
      });
      rmSync(path);
      await s3.send(
        new (await import("@aws-sdk/client-s3")).DeleteObjectCommand({ Bucket: bucket, Key: key }),
      );
    }
  } finally {
    await moto.stop();
  }
  return rows;
};

if (process.argv[1]?.endsWith("artifact-read.ts")) {
  const rows = await runArtifactReadBench(
    arg("sizes", "1,100,500").split(",").map(Number),
    Number(arg("runs", "3")),
  );
  console.table(
    rows.map((r) => ({
      "artifact MB": r.sizeMb,
      "ranged ms": r.ranged.ms,
      "ranged peak RSS MB": r.ranged.peakRssMb,
      "ranged bytes moved": r.ranged.bytesMoved,
      "entry+CD bytes": r.entryCompressed + r.centralDirectory,
      "naive ms": r.naive.ms,
      "naive peak RSS MB": r.naive.peakRssMb,
      "naive bytes moved": r.naive.bytesMoved,
      "adm-zip ms": r.admZip.ms,
      "adm-zip peak RSS MB": r.admZip.peakRssMb,
      "unzip -p ms": r.unzipMs,
    })),
  );
}

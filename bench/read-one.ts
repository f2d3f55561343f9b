/**
 * One measured read, run in a fresh Node process by bench/artifact-read.ts:
 *   node read-one.mjs <ranged|naive|adm-zip> <bucket> <key> <file>
 * Prints one JSON line: wall time, peak RSS, bytes moved, bytes read.
 */
import "../shared/node-require.js";
import { readFileSync } from "node:fs";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import yauzl from "yauzl";
import { jobEvent } from "../local/job-event.js";
import { openInputArtifact } from "../shared/artifacts/index.js";
import { parseJobEvent } from "../shared/job.js";

/**
 * Peak RSS from /proc (VmHWM): unlike getrusage's maxRSS it starts afresh at exec, so a large
 * parent process does not leak into the number.
 */
const peakRssMb = (): number => {
  const kb = readFileSync("/proc/self/status", "utf8").match(/VmHWM:\s+(\d+) kB/)?.[1];
  return Math.round(Number(kb ?? Number.NaN) / 1024);
};

/** Unzips `file` out of `whole` with yauzl (the library our ranged reader uses). */
async function readWithYauzl(whole: Buffer, file: string): Promise<number> {
  const zip = await yauzl.fromBufferPromise(whole, { lazyEntries: true });
  return new Promise<number>((resolve, reject) => {
    zip.on("entry", (entry: yauzl.Entry) => {
      if (entry.fileName !== file) return zip.readEntry();
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        let n = 0;
        stream.on("data", (c: Buffer) => {
          n += c.length;
        });
        stream.on("end", () => resolve(n));
      });
    });
    zip.on("end", () => reject(new Error(`${file} not found`)));
    zip.readEntry();
  });
}

const [mode, bucket, key, file] = process.argv.slice(2) as [string, string, string, string];
const started = performance.now();
let bytesMoved = 0;
let bytesRead = 0;

if (mode === "ranged") {
  const parsed = parseJobEvent(jobEvent({ artifacts: [{ name: "A", bucket, key }] }));
  if (!parsed.ok) throw new Error(parsed.message);
  const artifact = await openInputArtifact(parsed.job);
  bytesRead = (await artifact.read(file)).length;
  bytesMoved = artifact.stats.bytesFetched;
} else {
  // The naive ways: download the whole object, then unzip it from memory.
  const s3 = new S3Client({ region: process.env.AWS_REGION, forcePathStyle: true });
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const whole = Buffer.from(
    await (response.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
  bytesMoved = whole.length;
  if (mode === "adm-zip") {
    // What the project's design card named: adm-zip over the downloaded buffer.
    const { default: AdmZip } = await import("adm-zip");
    const data = new AdmZip(whole).readFile(file);
    if (!data) throw new Error(`${file} not found`);
    bytesRead = data.length;
  } else {
    bytesRead = await readWithYauzl(whole, file);
  }
}
console.log(
  JSON.stringify({
    mode,
    ms: Math.round(performance.now() - started),
    peakRssMb: peakRssMb(),
    bytesMoved,
    bytesRead,
  }),
);

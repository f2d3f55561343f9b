import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localAwsEnv } from "../../local/local-aws.js";
import { freePort } from "../../local/moto.js";
import { runBundle } from "../../local/run-bundle.js";

/**
 * `npm run local-aws`: a local AWS that keeps running for sam local invoke, the AWS CLI or
 * npm run invoke, seeded with the sample events' data, printing each reported result.
 */
const work = mkdtempSync(join(tmpdir(), "local-aws-"));
const stateFile = join(work, "local-aws.json");
let serve: ChildProcess;
let output = "";
let ports: { moto: number; codePipeline: number };

const waitForOutput = async (text: string, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!output.includes(text)) {
    if (serve.exitCode !== null) throw new Error(`local-aws exited (${serve.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" from local-aws:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

beforeAll(async () => {
  ports = { moto: await freePort(), codePipeline: await freePort() };
  serve = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "local/serve.ts",
      "--moto-port",
      String(ports.moto),
      "--codepipeline-port",
      String(ports.codePipeline),
    ],
    { env: { ...process.env, LOCAL_AWS_STATE_FILE: stateFile }, stdio: ["ignore", "pipe", "pipe"] },
  );
  serve.stdout?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  serve.stderr?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  await waitForOutput("Results reported by the functions:");
}, 90_000);

afterAll(() => {
  if (serve.exitCode === null) serve.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
});

describe("npm run local-aws", () => {
  it("prints where to point clients and remembers where it runs", () => {
    expect(output).toContain(`export AWS_ENDPOINT_URL=http://127.0.0.1:${ports.moto}`);
    expect(output).toContain(`AWS_ENDPOINT_URL_CODEPIPELINE=http://127.0.0.1:${ports.codePipeline}`);
    expect(JSON.parse(readFileSync(stateFile, "utf8"))).toMatchObject({
      moto: `http://127.0.0.1:${ports.moto}`,
      codePipeline: `http://127.0.0.1:${ports.codePipeline}`,
    });
  });

  it("holds the sample events' artifacts", async () => {
    const s3 = new S3Client({
      region: "us-east-1",
      endpoint: `http://127.0.0.1:${ports.moto}`,
      forcePathStyle: true,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: "codepipeline-demo-artifacts" }));
    const event = readFileSync("events/artifact-check/coverage-fail.json", "utf8");
    const key = (listed.Contents ?? []).map((o) => o.Key).find((k) => k && event.includes(k));
    expect(key).toBeDefined();
  });

  it("takes a sample event's result again and again, printing each", async () => {
    const event = JSON.parse(readFileSync("events/window-check/blog-deny-fri-sun.json", "utf8")) as {
      "CodePipeline.job": { id: string };
    };
    const env = localAwsEnv(`http://127.0.0.1:${ports.moto}`, `http://127.0.0.1:${ports.codePipeline}`);
    for (const now of ["2026-11-27T10:00:00Z", "2026-11-24T10:00:00Z"]) {
      const run = await runBundle("window-check", event, { env, timeoutMs: 30_000, now });
      expect((run.result as { reported?: string }).reported).toBe("reported");
    }
    await waitForOutput(`PutJobSuccessResult job ${event["CodePipeline.job"].id}`);
    expect(output).toContain(
      `PutJobFailureResult job ${event["CodePipeline.job"].id}\n  JobFailed: Blocked by deny`,
    );
  });

  it("stops on SIGTERM and forgets where it ran", async () => {
    serve.kill("SIGTERM");
    const code = await new Promise((r) => serve.once("exit", r));
    expect(code).toBe(0);
    expect(existsSync(stateFile)).toBe(false);
  });
});

describe("npm run local-aws with bad options", () => {
  it.each([
    [["--moto-port", "abc"], '--moto-port expects a port number from 1 to 65535; got "abc"'],
    [["--bogus"], "Unknown option '--bogus'"],
  ])("%j: says what is wrong, no stack trace, exit 2", async (args, message) => {
    const child = spawn(process.execPath, ["--import", "tsx", "local/serve.ts", ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise((r) => child.once("exit", r));
    expect(code).toBe(2);
    expect(stderr.split("\n")[0]).toBe(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

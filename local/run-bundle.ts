import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { functionBuilds } from "../scripts/build-config.js";
import { bundleIfStale } from "../scripts/run-ts.mjs";
import { RESULT_MARKER } from "./runner-protocol.js";

const RUNNER = resolve(".tmp/run/runner/lambda-runner.mjs");

/** The runner as plain JavaScript (bundled when its sources changed), so the child runs it like Lambda runs ours. */
let runnerBuilt: Promise<string> | undefined;
export const buildRunner = () => {
  runnerBuilt ??= bundleIfStale("local/lambda-runner.ts", RUNNER, { bundlePackages: true });
  return runnerBuilt;
};

/** Builds the function bundles (dist/<name>/index.mjs) with the template's settings. */
export const buildBundles = async (names?: string[]): Promise<void> => {
  const { build } = await import("esbuild");
  const builds = functionBuilds().filter((b) => !names || names.includes(b.name));
  await Promise.all(builds.map((b) => build(b.options)));
};

/** The functions in template.yaml by folder name, with their Timeout in milliseconds. */
export const templateFunctions = () =>
  functionBuilds().map((b) => ({ name: b.name, timeoutMs: b.timeoutMs }));

export interface BundleRun {
  /** What the handler returned, or the error it threw / the time-out. */
  result?: unknown;
  error?: string;
  /** What the Lambda context had left when the handler returned (0 after a time-out). */
  remainingMs?: number;
  /** Peak RSS of the whole Node process that ran the bundle. */
  peakRssBytes?: number;
  /** CPU time (user + system) of the invocation, without loading the module: what our code costs, waits left out. */
  invokeCpuMs?: number;
  /** Everything the function logged (JSON lines). */
  logs: string[];
  exitCode: number | null;
}

/**
 * Runs dist/<name>/index.mjs on an event in a fresh Node process with the given environment: the
 * one way to run a built bundle the way Lambda does (the local runner, the demo and the tests).
 */
export const runBundle = async (
  name: string,
  event: unknown,
  options: { env: NodeJS.ProcessEnv; timeoutMs: number; now?: string | undefined },
): Promise<BundleRun> => {
  await buildRunner();
  const bundle = resolve("dist", name, "index.mjs");
  if (!existsSync(bundle)) throw new Error(`${bundle} does not exist: run npm run build`);
  const dir = resolve(".tmp/local/events");
  mkdirSync(dir, { recursive: true });
  const eventPath = join(dir, `${name}-${process.pid}-${Date.now()}.json`);
  writeFileSync(eventPath, JSON.stringify(event));
  const args = [RUNNER, bundle, eventPath, String(options.timeoutMs), ...(options.now ? [options.now] : [])];
  const child = spawn(process.execPath, ["--enable-source-maps", ...args], {
    // The variables the Lambda runtime sets that the code (Powertools' cold-start flag) reads.
    env: {
      ...options.env,
      AWS_LAMBDA_FUNCTION_NAME: name,
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
      LAMBDA_TASK_ROOT: resolve("dist", name),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr.on("data", (c: Buffer) => {
    out += c.toString();
  });
  // A bundle stuck in synchronous code never lets the runner's own timer fire: stop it a little after.
  const killAfterMs = options.timeoutMs + 5_000;
  const killer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
  const exitCode = await new Promise<number | null>((r) => child.on("close", r)).finally(() =>
    clearTimeout(killer),
  );
  const lines = out.split("\n").filter((l) => l.trim() !== "");
  const marked = lines.find((l) => l.startsWith(RESULT_MARKER));
  const parsed = marked
    ? (JSON.parse(marked.slice(RESULT_MARKER.length)) as { result?: unknown; error?: string })
    : {};
  return {
    ...parsed,
    ...(marked
      ? {}
      : {
          error: `the runner printed no result (exit ${exitCode}${child.killed ? `, killed ${killAfterMs} ms after it started` : ""})`,
        }),
    logs: lines.filter((l) => !l.startsWith(RESULT_MARKER)),
    exitCode,
  };
};

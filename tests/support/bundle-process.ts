import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const MARKER = "__measured_invocation__";

/**
 * Runs in the child: imports the bundle, invokes it with a context that has a deadline, then
 * prints the result, what the context had left and the process's peak resident set size.
 */
const CHILD = `
import { randomUUID } from "node:crypto";
const [bundleUrl, name, eventJson, timeoutMs] = process.argv.slice(1);
let deadline = Date.now() + Number(timeoutMs);
const context = {
  functionName: name, functionVersion: "$LATEST", memoryLimitInMB: "256", awsRequestId: randomUUID(),
  invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:" + name,
  logGroupName: "/aws/lambda/" + name, logStreamName: "local", callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
};
let outcome;
try {
  const { handler } = await import(bundleUrl);
  // Like Lambda, the timeout counts from the invocation, not from loading the module (init).
  deadline = Date.now() + Number(timeoutMs);
  outcome = { result: await handler(JSON.parse(eventJson), context) };
} catch (error) {
  outcome = { error: error.name + ": " + error.message };
}
outcome.remainingMs = context.getRemainingTimeInMillis();
// ru_maxrss: the peak resident set size of this process, in kilobytes.
outcome.peakRssBytes = process.resourceUsage().maxRSS * 1024;
process.stdout.write("${MARKER}" + JSON.stringify(outcome) + "\\n");
`;

export interface MeasuredInvocation {
  result?: unknown;
  error?: string;
  remainingMs: number;
  /** Peak RSS of the whole Node process that ran the bundle. */
  peakRssBytes: number;
  /** Everything else the process printed: the function's log lines. */
  logs: string[];
}

/**
 * Invokes dist/<name>/index.mjs in a fresh Node process (so its memory is measured alone, not
 * the test worker's) with this process's environment: the AWS endpoints the test set up.
 */
export const invokeBundleInChild = async (
  name: string,
  event: unknown,
  options: { timeoutMs: number },
): Promise<MeasuredInvocation> => {
  // A bundle stuck in synchronous code never reaches its deadline guard: stop it a little after.
  const killAfterMs = options.timeoutMs + 5_000;
  const bundleUrl = pathToFileURL(resolve("dist", name, "index.mjs")).href;
  const child = spawn(
    process.execPath,
    ["--input-type=module", "-e", CHILD, bundleUrl, name, JSON.stringify(event), String(options.timeoutMs)],
    { env: { ...process.env, AWS_LAMBDA_FUNCTION_NAME: name }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
  const exitCode = await new Promise<number | null>((done) => child.on("close", done)).finally(() =>
    clearTimeout(killer),
  );
  const lines = out.split("\n").filter((line) => line.trim() !== "");
  const marked = lines.find((line) => line.startsWith(MARKER));
  if (!marked) {
    throw new Error(
      `the bundle printed no result (exit ${exitCode}${child.killed ? `, killed ${killAfterMs} ms after it started` : ""}):\n${out.slice(-2000)}`,
    );
  }
  return {
    ...(JSON.parse(marked.slice(MARKER.length)) as Omit<MeasuredInvocation, "logs">),
    logs: lines.filter((line) => !line.startsWith(MARKER)),
  };
};

/**
 * Runs one built bundle on one event in this process, the way the Lambda Node.js runtime does:
 * import the module, call `handler(event, context)` with a context that has a deadline, and
 * stop the process at the deadline ("Task timed out"). Bundled and started by run-bundle.ts:
 *   node lambda-runner.mjs <bundle.mjs> <event.json> <timeoutMs> [nowIso]
 * The last line it prints is the invocation's result as JSON, after the marker RESULT_MARKER, with
 * the time the context had left and the process's peak RSS.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { installFixedClock } from "./fixed-clock.js";
import { lambdaContext } from "./lambda-context.js";
import { RESULT_MARKER } from "./runner-protocol.js";

const [bundle, eventPath, timeoutArg, now] = process.argv.slice(2);
if (!bundle || !eventPath)
  throw new Error("usage: lambda-runner <bundle.mjs> <event.json> <timeoutMs> [now]");
if (now) installFixedClock(now);
const timeoutMs = Number(timeoutArg ?? 60_000);
const event: unknown = JSON.parse(readFileSync(eventPath, "utf8"));
const name = process.env.AWS_LAMBDA_FUNCTION_NAME ?? "local";

/** CPU time used so far when the handler was called: the invocation's own CPU time is measured from it. */
let cpuAtInvoke: NodeJS.CpuUsage | undefined;

/**
 * What the parent reads: the outcome, the time the context had left, the process's peak RSS and
 * the CPU time the invocation used (user + system, without loading the module).
 */
const finish = (outcome: { result?: unknown; error?: string }, remainingMs: number) => {
  // ru_maxrss: the peak resident set size of this process, in kilobytes.
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const cpu = cpuAtInvoke ? process.cpuUsage(cpuAtInvoke) : undefined;
  const invokeCpuMs = cpu ? (cpu.user + cpu.system) / 1000 : undefined;
  process.stdout.write(
    `${RESULT_MARKER}${JSON.stringify({ ...outcome, remainingMs, peakRssBytes, invokeCpuMs })}\n`,
  );
};

let timer: NodeJS.Timeout | undefined;
let context: ReturnType<typeof lambdaContext> | undefined;
try {
  const { handler } = (await import(pathToFileURL(bundle).href)) as {
    handler: (event: unknown, context: unknown) => Promise<unknown>;
  };
  // Like Lambda, the timeout counts from the invocation, not from loading the module (init).
  timer = setTimeout(() => {
    finish({ error: `Task timed out after ${timeoutMs / 1000} seconds` }, 0);
    process.exit(1);
  }, timeoutMs);
  context = lambdaContext(name, { timeoutMs });
  cpuAtInvoke = process.cpuUsage();
  const result = await handler(event, context);
  finish({ result: result ?? null }, context.getRemainingTimeInMillis());
} catch (error) {
  finish(
    { error: `${(error as Error).name}: ${(error as Error).message}` },
    context?.getRemainingTimeInMillis() ?? timeoutMs,
  );
  process.exitCode = 1;
} finally {
  clearTimeout(timer);
}

/**
 * Runs one built bundle on one event in this process, the way the Lambda Node.js runtime does:
 * import the module, call `handler(event, context)` with a context that has a deadline, and
 * stop the process at the deadline ("Task timed out"). Bundled and started by run-bundle.ts:
 *   node lambda-runner.mjs <bundle.mjs> <event.json> <timeoutMs> [nowIso]
 * The last line it prints is the invocation's result as JSON, after the marker RESULT_MARKER.
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

let timer: NodeJS.Timeout | undefined;
try {
  const { handler } = (await import(pathToFileURL(bundle).href)) as {
    handler: (event: unknown, context: unknown) => Promise<unknown>;
  };
  // Like Lambda, the timeout counts from the invocation, not from loading the module (init).
  timer = setTimeout(() => {
    process.stdout.write(
      `${RESULT_MARKER}${JSON.stringify({ error: `Task timed out after ${timeoutMs / 1000} seconds` })}\n`,
    );
    process.exit(1);
  }, timeoutMs);
  const result = await handler(event, lambdaContext(name, { timeoutMs }));
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify({ result: result ?? null })}\n`);
} catch (error) {
  process.stdout.write(
    `${RESULT_MARKER}${JSON.stringify({ error: `${(error as Error).name}: ${(error as Error).message}` })}\n`,
  );
  process.exitCode = 1;
} finally {
  clearTimeout(timer);
}

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Context } from "aws-lambda";
import { lambdaContext } from "../../local/lambda-context.js";

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
const loaded = new Map<string, Promise<Handler>>();

/**
 * Invokes a built bundle (dist/<name>/index.mjs, what SAM deploys) with a Lambda context that
 * has a real deadline. `npm test` builds before it runs the tests. Pass `context` (from
 * lambdaContext) to look at its remaining time afterwards.
 */
export const invokeBundle = async (
  name: string,
  event: unknown,
  options: { timeoutMs?: number; context?: Context } = {},
): Promise<unknown> => {
  let handler = loaded.get(name);
  if (!handler) {
    const url = pathToFileURL(resolve("dist", name, "index.mjs")).href;
    handler = import(url).then((m: { handler: Handler }) => m.handler);
    loaded.set(name, handler);
  }
  return (await handler)(event, options.context ?? lambdaContext(name, options));
};

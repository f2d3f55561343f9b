import { runBundle } from "../../local/run-bundle.js";

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
 * the test worker's) with this process's environment: the AWS endpoints the test set up. The
 * local runner's runBundle does the work; this only insists on a measured result.
 */
export const invokeBundleInChild = async (
  name: string,
  event: unknown,
  options: { timeoutMs: number },
): Promise<MeasuredInvocation> => {
  const run = await runBundle(name, event, { env: { ...process.env }, timeoutMs: options.timeoutMs });
  if (run.remainingMs === undefined || run.peakRssBytes === undefined) {
    throw new Error(`${run.error ?? "the bundle printed no result"}:\n${run.logs.join("\n").slice(-2000)}`);
  }
  return {
    ...(run.result !== undefined ? { result: run.result } : {}),
    ...(run.error !== undefined ? { error: run.error } : {}),
    remainingMs: run.remainingMs,
    peakRssBytes: run.peakRssBytes,
    logs: run.logs,
  };
};

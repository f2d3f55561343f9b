import { expect, vi } from "vitest";
import { MARKER_CREDENTIALS } from "../../local/job-event.js";

/**
 * Captures everything written to stdout/stderr (Powertools Logger writes there) so a test can
 * check that log lines are JSON and never carry the job's credentials.
 */
export const captureLogs = () => {
  const lines: string[] = [];
  const record = (chunk: unknown) => {
    lines.push(
      ...String(chunk)
        .split("\n")
        .filter((l) => l.trim() !== ""),
    );
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, "write").mockImplementation(record as never),
    vi.spyOn(process.stderr, "write").mockImplementation(record as never),
    vi.spyOn(console, "log").mockImplementation((...a) => void record(a.join(" "))),
    vi.spyOn(console, "info").mockImplementation((...a) => void record(a.join(" "))),
    vi.spyOn(console, "warn").mockImplementation((...a) => void record(a.join(" "))),
    vi.spyOn(console, "error").mockImplementation((...a) => void record(a.join(" "))),
    vi.spyOn(console, "debug").mockImplementation((...a) => void record(a.join(" "))),
  ];
  const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    lines,
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
    /** The log lines parsed as JSON (throws on a line that is not), without the metrics (EMF) lines. */
    json: () => parsed().filter((l) => !isEmf(l)),
    /** The CloudWatch Embedded Metric Format lines Powertools Metrics wrote, parsed. */
    metrics: () => parsed().filter(isEmf) as unknown as EmfLine[],
    /** True when any credential marker appears in any line. */
    leaksCredentials: () =>
      lines.some((l) => Object.values(MARKER_CREDENTIALS).some((secret) => l.includes(secret))),
  };
};

/** One EMF line: the metric values and dimension values are top-level keys. */
export interface EmfLine {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit: string }>;
    }>;
  };
  [key: string]: unknown;
}

const isEmf = (line: Record<string, unknown>): boolean => typeof line._aws === "object" && line._aws !== null;

/** Stops capturing and checks the promise every test makes: each line is JSON, none has a credential. */
export const expectCleanLogs = (logs: ReturnType<typeof captureLogs>) => {
  logs.restore();
  expect(() => logs.lines.map((l) => JSON.parse(l))).not.toThrow();
  expect(logs.leaksCredentials()).toBe(false);
};

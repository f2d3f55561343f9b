/**
 * Window decisions: the whole evaluation (including the next-open search) for a stage that opens
 * next week, next month and next year, median of several runs after a warm-up.
 */
import { evaluate } from "../functions/window-check/evaluate.js";
import { params as paramsSchema } from "../functions/window-check/params.js";

const NOW = new Date("2026-11-27T10:00:00Z"); // a Friday

const CASES = [
  {
    opens: "next week",
    params: { timeZone: "Europe/Berlin", deny: [{ days: "FRI-SUN", reason: "no weekend releases" }] },
  },
  {
    opens: "next month",
    params: {
      timeZone: "Europe/Berlin",
      allow: ["* * 9-16 ? * MON-FRI *"],
      deny: [{ from: "2026-11-20", to: "2026-12-31", reason: "year-end freeze" }],
      runwayMinutes: 60,
    },
  },
  {
    opens: "next year",
    params: { timeZone: "America/New_York", allow: ["* * 9 1 NOV ? 2027"] },
  },
];

export interface WindowRow {
  opens: string;
  /** The first evaluation in this process (cold code), then the median of the following runs. */
  firstMs: number;
  ms: number;
  message: string;
}

export const windowBench = (runs = 9): WindowRow[] =>
  CASES.map(({ opens, params }) => {
    const parsed = paramsSchema.parse(params);
    const once = () => {
      const started = performance.now();
      const verdict = evaluate({ calendars: [] }, parsed, NOW);
      return { ms: performance.now() - started, verdict };
    };
    const first = once();
    const times = Array.from({ length: runs }, () => once().ms).sort((a, b) => a - b);
    const verdict = first.verdict;
    return {
      opens,
      firstMs: Number(first.ms.toFixed(2)),
      ms: Number((times[Math.floor(times.length / 2)] ?? Number.NaN).toFixed(2)),
      message: (verdict.pass ? verdict.summary : verdict.message).split("\n")[0] ?? "",
    };
  });

if (process.argv[1]?.endsWith("windows.ts")) console.table(windowBench());

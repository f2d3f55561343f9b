import { gatesFor, HORIZON_MS, type WindowInput } from "../../functions/window-check/evaluate.js";
import { formatDuration } from "../../functions/window-check/messages.js";
import type { Params } from "../../functions/window-check/params.js";
import { nextOpening } from "../../functions/window-check/schedule.js";
import { formatTime, MINUTE_MS } from "../../functions/window-check/zone.js";
import { useStandardRegion } from "../aws-region.js";
import { loadLocally, localJob } from "../decide.js";
import { inputArtifacts, parseAt, parseOptions } from "../options.js";
import { readUserParameters } from "../params-input.js";
import { loadRule, ruleName } from "../rules.js";
import { EXIT, UsageError } from "../usage.js";
import { exitCodeOf } from "./check.js";

const MAX_COUNT = 100;

/**
 * `next window-check --params …`: the next open intervals, found with the rule's own schedule
 * search (the one its messages use for "Opens …"). Each interval's start is checked with the
 * rule's evaluate, so this never shows an opening the gate would not pass.
 */
export const next = async (args: readonly string[]): Promise<number> => {
  const { values, positionals } = parseOptions(args, {
    params: { type: "string" },
    artifact: { type: "string", multiple: true },
    at: { type: "string" },
    count: { type: "string" },
  });
  const [ruleArg, ...extra] = positionals;
  const rule = ruleName(ruleArg);
  if (rule !== "window-check")
    throw new UsageError(`next lists deployment windows: it works on window-check, not ${rule}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  if (values.params === undefined)
    throw new UsageError("next needs --params <params>: a JSON string, @file.json or -");
  const count = values.count === undefined ? 5 : Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw new UsageError(
      `--count expects a whole number from 1 to ${MAX_COUNT}; got ${JSON.stringify(values.count)}`,
    );
  }
  const now = parseAt(values.at);
  const job = localJob(readUserParameters(values.params).text, inputArtifacts(values.artifact ?? []));
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const [definition] = await Promise.all([loadRule(rule), useStandardRegion()]);
  const loaded = await loadLocally(definition, job, now);
  if (!loaded.ok) {
    const { outcome } = loaded;
    process.stdout.write(outcome.status === "failed" ? `${outcome.message}\n` : "");
    return exitCodeOf(outcome);
  }
  const params = loaded.params as Params;
  const input = loaded.input as WindowInput;
  const zone = params.timeZone;
  // The rule's own gate, waivers and calendar files applied: an opening a waiver makes is listed too.
  const { gate } = gatesFor(input, params);
  const start = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  const limit = start + HORIZON_MS;
  const runwayMs = params.runwayMinutes * MINUTE_MS;
  const lines = [`Open intervals from ${formatTime(zone, start, true)}:`];
  let from = start;
  let stale: { at: number; problem: string } | undefined;
  for (let found = 0; found < count; found++) {
    const opening = nextOpening(gate, from, limit, runwayMs);
    if (opening.kind === "never") {
      lines.push(found === 0 ? "None within a year." : "No more within a year.");
      break;
    }
    if (opening.kind === "unknown") {
      const { calendar } = opening;
      const name = `change calendar ${JSON.stringify(calendar.name)}`;
      lines.push(
        calendar.state === "CLOSED"
          ? `Then not known: ${name} is CLOSED with no change scheduled.`
          : `Then not known: ${name} closes at ${formatTime(zone, calendar.nextTransition ?? 0)} and GetCalendarState does not say when it opens again.`,
      );
      break;
    }
    const verdict = definition.evaluate(input, params, new Date(opening.at));
    if (!verdict.pass) {
      // A one-off window that has ended by then is a stale configuration (a ConfigurationError
      // from then on), not a closed gate: list the opening and say what must be cleaned up.
      if (verdict.type === "ConfigurationError") {
        stale ??= { at: opening.at, problem: verdict.message.split("\n")[1] ?? verdict.message };
      } else {
        throw new Error(
          `the schedule search says the gate opens at ${formatTime(zone, opening.at)}, but the rule blocks then: ${verdict.message}`,
        );
      }
    }
    const until = opening.closing.at;
    if (until === undefined) {
      lines.push(`  ${formatTime(zone, opening.at)} onwards, for at least a year`);
      break;
    }
    const lastStart =
      runwayMs > 0
        ? `; with ${params.runwayMinutes} minutes of runway, last start ${formatTime(zone, until - runwayMs)}`
        : "";
    // GetCalendarState tells only a calendar's next change: after it, "open" is an assumption.
    const assumed = opening.assumed.length
      ? `; if change calendar ${opening.assumed.map((c) => JSON.stringify(c.name)).join(" and ")} has not closed again`
      : "";
    lines.push(
      `  ${formatTime(zone, opening.at)} to ${formatTime(zone, until)} (${formatDuration(until - opening.at)}${lastStart}${assumed})`,
    );
    from = until;
  }
  if (stale) {
    lines.push(
      `From ${formatTime(zone, stale.at)} the rule fails with a ConfigurationError until its UserParameters are cleaned up: ${stale.problem}`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return EXIT.passed;
};

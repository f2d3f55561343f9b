import { GetCalendarStateCommand, SSMClient } from "@aws-sdk/client-ssm";
import type { RuleContext } from "../../shared/index.js";
import {
  awsFailure,
  clientConfig,
  configurationError,
  describeError,
  jobFailed,
  lazy,
  permissionError,
  sdkErrorName,
} from "../../shared/index.js";
import type { WindowInput } from "./evaluate.js";
import type { Params } from "./params.js";
import type { CalendarState } from "./schedule.js";

const ssm = lazy(() => new SSMClient(clientConfig()));

const readCalendar = async (name: string, now: Date, signal: AbortSignal): Promise<CalendarState> => {
  const quoted = JSON.stringify(name);
  try {
    const response = await ssm().send(
      new GetCalendarStateCommand({ CalendarNames: [name], AtTime: now.toISOString() }),
      { abortSignal: signal },
    );
    if (response.State !== "OPEN" && response.State !== "CLOSED") {
      throw jobFailed(
        `Change calendar ${quoted} has state ${JSON.stringify(response.State)}; expected OPEN or CLOSED.`,
      );
    }
    const next = response.NextTransitionTime ? Date.parse(response.NextTransitionTime) : undefined;
    if (next !== undefined && Number.isNaN(next)) {
      throw jobFailed(
        `Change calendar ${quoted} gave a NextTransitionTime that is not a time: ${JSON.stringify(response.NextTransitionTime)}.`,
      );
    }
    return next === undefined
      ? { name, state: response.State }
      : { name, state: response.State, nextTransition: next };
  } catch (error) {
    if (["InvalidDocumentType", "UnsupportedCalendarException"].includes(sdkErrorName(error) ?? "")) {
      throw configurationError(
        `${quoted} is not a Change Calendar that SSM can read: ${describeError(error)}.`,
      );
    }
    throw awsFailure(error, {
      "not-found": (detail) =>
        configurationError(
          `Change calendar ${quoted} not found: ${detail}. Check the name in changeCalendars and the function's region.`,
        ),
      "access-denied": (detail) =>
        permissionError(
          `Access denied reading change calendar ${quoted}: ${detail}. The function's role needs ssm:GetCalendarState on it.`,
        ),
    });
  }
};

/**
 * Asks SSM for each change calendar's state at the decision time, one call per calendar, and reads
 * the iCalendar deny files.
 */
export const load = async (ctx: RuleContext<Params>): Promise<WindowInput> => {
  // The parser and the S3 client are loaded only by configurations that name a calendar file:
  // the cold start of the others stays as it was.
  const icsCalendars = (ctx.params.deny ?? []).some((spec) => spec.kind === "ics")
    ? await (await import("./ics-load.js")).loadIcsCalendars(ctx)
    : [];
  const files = icsCalendars.length > 0 ? { icsCalendars } : {};
  const names = ctx.params.changeCalendars ?? [];
  if (names.length === 0) return { calendars: [], ...files };
  ctx.step(`reading change calendar state (${names.map((n) => JSON.stringify(n)).join(", ")})`);
  const calendars = await Promise.all(names.map((name) => readCalendar(name, ctx.now, ctx.signal)));
  return { calendars, ...files };
};

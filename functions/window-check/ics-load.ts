import type { RuleContext } from "../../shared/index.js";
import { configurationError, jobFailed, openInputArtifact } from "../../shared/index.js";
import type { CalendarSpec, LoadedCalendar } from "./calendar-spec.js";
import { HORIZON_MS } from "./evaluate.js";
import { expandCalendar } from "./ics.js";
import type { Params } from "./params.js";
import { readRoleObjectText } from "./role-object.js";

/** Reading and expanding the iCalendar deny files; loaded by `load` only when a configuration names one. */

/** iCalendar files are small; a larger object is not a calendar someone maintains by hand. */
const MAX_ICS_BYTES = 5 * 1024 * 1024;
/** The longest runway (a week) the search looks past the horizon, and a day for rounding. */
const EXPAND_BEYOND_HORIZON_MS = 8 * 24 * 3_600_000;

const readCalendarText = async (ctx: RuleContext<Params>, spec: CalendarSpec): Promise<string> => {
  const { source } = spec;
  if (source.from === "s3") {
    return readRoleObjectText(source.bucket, source.key, {
      signal: ctx.signal,
      maxBytes: MAX_ICS_BYTES,
      what: "iCalendar file",
      grantHint: "template parameter HolidayCalendarObjects",
    });
  }
  const artifact = await openInputArtifact(ctx.job, {
    name: source.artifact,
    signal: ctx.signal,
    maxEntryBytes: MAX_ICS_BYTES,
  });
  try {
    if (!artifact.has(source.path)) {
      throw configurationError(`icsFile: ${artifact.describeMissing(source.path)}`);
    }
    return await artifact.readText(source.path);
  } finally {
    artifact.close();
  }
};

/** Reads each iCalendar file and expands its events from now to past the search horizon. */
export const loadIcsCalendars = async (ctx: RuleContext<Params>): Promise<LoadedCalendar[]> => {
  const specs = (ctx.params.deny ?? []).filter((spec) => spec.kind === "ics");
  const from = Math.floor(ctx.now.getTime() / 60_000) * 60_000;
  const to = from + HORIZON_MS + EXPAND_BEYOND_HORIZON_MS;
  const loaded: LoadedCalendar[] = [];
  for (const spec of specs) {
    ctx.step(`reading iCalendar file ${spec.location}`);
    const text = await readCalendarText(ctx, spec);
    const expanded = expandCalendar(text, ctx.params.timeZone, from, to);
    if ("error" in expanded) {
      const where = expanded.line === undefined ? "" : `, line ${expanded.line}`;
      throw jobFailed(`iCalendar file ${spec.location} does not parse${where}: ${expanded.error}.`);
    }
    loaded.push({ location: spec.location, events: expanded.events });
  }
  return loaded;
};

/**
 * Time zones as the DeploymentWindow rule names them (IANA `Region/City`, `UTC`, `UTC±HH:MM`), and the
 * local-time arithmetic the windows need. All instants are epoch milliseconds.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

export interface Zone {
  /** The zone as messages show it: "Europe/Berlin", "UTC", "UTC+05:30". */
  readonly name: string;
  /** Offset from UTC in minutes at an instant (+60 for Berlin in winter). */
  offsetAt(ms: number): number;
  /** How croner is told about the zone. */
  readonly croner: { timezone: string } | { utcOffset: number };
}

/** A wall-clock reading in a zone. `month` is 1–12, `weekday` 0 = Sunday. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
  /** Minutes since local midnight. */
  minuteOfDay: number;
  offset: number;
}

const fixedZone = (name: string, offset: number): Zone => ({
  name,
  offsetAt: () => offset,
  croner: { utcOffset: offset },
});

const ianaZone = (timeZone: string): Zone => {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  });
  // Searches ask for the same instants again and again; formatToParts is the slow part.
  const cache = new Map<number, number>();
  const offsetAt = (ms: number): number => {
    const minute = Math.floor(ms / MINUTE_MS) * MINUTE_MS;
    const cached = cache.get(minute);
    if (cached !== undefined) return cached;
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(minute)) {
      if (part.type !== "literal") parts[part.type] = Number(part.value);
    }
    const wall = Date.UTC(
      parts.year ?? 1970,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
    );
    const offset = Math.round((wall - minute) / MINUTE_MS);
    if (cache.size > 50_000) cache.clear();
    cache.set(minute, offset);
    return offset;
  };
  return { name: timeZone, offsetAt, croner: { timezone: timeZone } };
};

const UTC_OFFSET = /^UTC([+-])(\d{2}):(\d{2})$/;

/**
 * Reads a time zone setting. Returns the zone, or a sentence saying what was expected.
 */
export const parseTimeZone = (text: string): Zone | string => {
  const expected = `expected an IANA time zone such as "Europe/Berlin", "UTC" or "UTC+05:30"; got ${JSON.stringify(text)}`;
  if (text === "UTC") return fixedZone("UTC", 0);
  const offset = UTC_OFFSET.exec(text);
  if (offset) {
    const [, sign, hours, minutes] = offset;
    const total = Number(hours) * 60 + Number(minutes);
    if (Number(minutes) > 59 || total > 14 * 60)
      return `${expected} (offsets go from UTC-14:00 to UTC+14:00)`;
    return total === 0 ? fixedZone("UTC", 0) : fixedZone(text, sign === "-" ? -total : total);
  }
  // Intl also takes bare offsets ("+01:00") on newer Node versions; the rule's dialect does not.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(text)) return expected;
  try {
    const resolved = new Intl.DateTimeFormat("en-US", { timeZone: text }).resolvedOptions().timeZone;
    return resolved === "UTC" || resolved === "Etc/UTC" ? fixedZone("UTC", 0) : ianaZone(resolved);
  } catch {
    return expected;
  }
};

export const localTime = (zone: Zone, ms: number): LocalTime => {
  const offset = zone.offsetAt(ms);
  const wall = new Date(ms + offset * MINUTE_MS);
  const hour = wall.getUTCHours();
  const minute = wall.getUTCMinutes();
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour,
    minute,
    weekday: wall.getUTCDay(),
    minuteOfDay: hour * 60 + minute,
    offset,
  };
};

/** A calendar date; arithmetic on it goes through UTC so that it never meets a DST change. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export const addDays = (date: LocalDate, days: number): LocalDate => {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
};

export const weekdayOf = (date: LocalDate): number =>
  new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();

export const daysInMonth = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * The first instant at which the zone's clock reads `minuteOfDay` (0–1440) on `date` or later. When
 * the time occurs twice (DST ends) that is its first occurrence; when it does not occur (DST starts)
 * it is the end of the gap.
 */
export const instantAt = (zone: Zone, date: LocalDate, minuteOfDay: number): number => {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay);
  const offsets = new Set([zone.offsetAt(wall - DAY_MS), zone.offsetAt(wall), zone.offsetAt(wall + DAY_MS)]);
  const candidates = [...offsets].map((offset) => wall - offset * MINUTE_MS);
  const valid = candidates.filter((ms) => zone.offsetAt(ms) * MINUTE_MS === wall - ms);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: the first minute whose wall-clock reading is at or past the wanted one.
  let low = Math.min(...candidates);
  let high = Math.max(...candidates);
  const reading = (ms: number) => ms + zone.offsetAt(ms) * MINUTE_MS;
  while (high - low > MINUTE_MS) {
    const mid = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
    if (reading(mid) >= wall) high = mid;
    else low = mid;
  }
  return reading(low) >= wall ? low : high;
};

/** The first instant of the local day after the one `ms` falls in. */
export const startOfNextDay = (zone: Zone, ms: number): number => {
  const local = localTime(zone, ms);
  return instantAt(zone, addDays(local, 1), 0);
};

const pad = (n: number) => String(n).padStart(2, "0");
const WEEKDAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

export const formatOffset = (offset: number): string => {
  const abs = Math.abs(offset);
  return `${offset < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
};

/** "Fri 2026-11-27 11:00 (+01:00)", or with `withZone` "Fri 2026-11-27 11:00 (Europe/Berlin, +01:00)". */
export const formatTime = (zone: Zone, ms: number, withZone = false): string => {
  const t = localTime(zone, ms);
  const where = withZone ? `${zone.name}, ${formatOffset(t.offset)}` : formatOffset(t.offset);
  return `${WEEKDAY_NAMES[t.weekday]} ${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)} (${where})`;
};

/**
 * "Did you mean …" for names a person typed: keys, rule names, severities, time zones, day and
 * month names.
 */

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
export const editDistance = (a: string, b: string): number => {
  if (a === b) return 0;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (rows[i - 1]?.[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (rows[i - 1]?.[j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row[j] = best;
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
};

/** How many edits still look like a typo of a word this long: one per three letters, at least one. */
const tolerance = (length: number): number => Math.max(1, Math.floor(length / 3));

/**
 * The candidates `word` is most likely a typo of, closest first, ignoring case; none when nothing
 * is close enough to be a typo.
 */
export const closestWords = (word: string, candidates: readonly string[]): string[] => {
  const wanted = word.toLowerCase().slice(0, 100);
  const scored = candidates
    .map((candidate) => ({ candidate, score: editDistance(wanted, candidate.toLowerCase()) }))
    .filter(({ candidate, score }) => candidate !== word && score <= tolerance(wanted.length))
    .sort((x, y) => x.score - y.score);
  const best = scored[0]?.score;
  return scored.filter(({ score }) => score === best).map(({ candidate }) => candidate);
};

export const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
export const MONTH_NAMES = [
  "JAN",
  "FEB",
  "MAR",
  "APR",
  "MAY",
  "JUN",
  "JUL",
  "AUG",
  "SEP",
  "OCT",
  "NOV",
  "DEC",
];
const FULL_NAMES = [
  ...["SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"],
  ...["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER"],
  ...["NOVEMBER", "DECEMBER"],
];

/**
 * The day or month name a word was meant to be ("FIR" → "FRI", "Thursday" → "THU"), or undefined
 * when it already is one or is not close to any.
 */
export const closestDayOrMonth = (word: string): string | undefined => {
  const upper = word.toUpperCase();
  const names = [...DAY_NAMES, ...MONTH_NAMES];
  if (names.includes(upper) || upper.length < 3) return undefined;
  // A whole or shortened name ("TUES", "SEPT", "FRIDAY") is its first three letters.
  const full = FULL_NAMES.find((name) => name.startsWith(upper));
  if (full) return full.slice(0, 3);
  const close = names.filter((name) => editDistance(upper, name) === 1);
  return close.length === 1 ? close[0] : undefined;
};

let timeZones: string[] | undefined;
/** The IANA time zones this Node knows, and UTC. */
const knownTimeZones = (): string[] => {
  timeZones ??= ["UTC", ...Intl.supportedValuesOf("timeZone")];
  return timeZones;
};

/** The time zone a name was meant to be: "Europe/Berln" → "Europe/Berlin", "Berlin" → "Europe/Berlin". */
export const closestTimeZone = (name: string): string | undefined => {
  const zones = knownTimeZones();
  if (!name.includes("/")) {
    const city = name.toLowerCase().replace(/\s+/g, "_");
    const byCity = zones.filter((zone) => zone.toLowerCase().split("/").at(-1) === city);
    if (byCity.length > 0) return byCity[0];
    const cities = zones.map((zone) => zone.split("/").at(-1) ?? zone);
    const closeCity = closestWords(city, cities)[0];
    return closeCity ? zones[cities.indexOf(closeCity)] : undefined;
  }
  return closestWords(name, zones)[0];
};

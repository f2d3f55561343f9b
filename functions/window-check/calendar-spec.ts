import * as z from "zod";
import { unknownKeysMessage } from "../../shared/index.js";
import type { CalendarEvent } from "./ics.js";
import { type Issue, quote } from "./ranges.js";

/** A deny entry that is an iCalendar file: every VEVENT in it is a deny window named by its SUMMARY. */
export interface CalendarSpec {
  kind: "ics";
  source: { from: "s3"; bucket: string; key: string } | { from: "artifact"; path: string; artifact?: string };
  /** The file as messages name it: "holidays.ics". */
  fileName: string;
  /** Where it is read from, as messages name it: "s3://bucket/key" or "holidays.ics in input artifact …". */
  location: string;
}

/** A calendar file as `load` read and expanded it: the events within the search horizon. */
export interface LoadedCalendar {
  /** The spec's location, which ties it to its deny entry. */
  location: string;
  events: CalendarEvent[];
}

/** How messages name one event of a calendar: "Christmas Day" (holidays.ics). */
export const eventLabel = (summary: string, spec: CalendarSpec) =>
  `${JSON.stringify(summary)} (${spec.fileName})`;

export const CALENDAR_FORMS = '{"ics": "s3://bucket/key.ics"} or {"icsFile": "path/in/artifact.ics"}';

const S3_URL = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/;

const icsSchema = z.strictObject({ ics: z.string() });
const icsFileSchema = z.strictObject({ icsFile: z.string(), artifact: z.string().min(1).optional() });

const baseName = (path: string) => path.split("/").at(-1) ?? path;

/** Validates `{"ics": …}` or `{"icsFile": …, "artifact"?: …}`; issues carry their key path. */
export const parseCalendarSpec = (value: object): CalendarSpec | Issue[] => {
  const isFile = "icsFile" in value;
  const parsed = (isFile ? icsFileSchema : icsSchema).safeParse(value);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => {
      if (issue.code === "unrecognized_keys") {
        return { message: unknownKeysMessage(issue.keys, isFile ? ["icsFile", "artifact"] : ["ics"]) };
      }
      const key = String(issue.path[0] ?? "");
      const got = (value as Record<string, unknown>)[key];
      return { message: `expected a non-empty string; got ${quote(got)}`, path: issue.path as PropertyKey[] };
    });
  }
  const data = parsed.data as { ics?: string; icsFile?: string; artifact?: string };
  if (data.icsFile !== undefined) {
    const path = data.icsFile.replace(/^\.\//, "");
    if (path === "" || path.startsWith("/") || path.split("/").includes("..") || path.endsWith("/")) {
      return [
        {
          message: `expected a file path inside the input artifact such as "calendars/holidays.ics"; got ${quote(data.icsFile)}`,
          path: ["icsFile"],
        },
      ];
    }
    const artifact = data.artifact === undefined ? "the input artifact" : `input artifact "${data.artifact}"`;
    return {
      kind: "ics",
      source: { from: "artifact", path, ...(data.artifact === undefined ? {} : { artifact: data.artifact }) },
      fileName: baseName(path),
      location: `${path} in ${artifact}`,
    };
  }
  const url = S3_URL.exec(data.ics ?? "");
  if (!url || url[2]?.endsWith("/")) {
    return [
      {
        message: `expected an S3 object URL "s3://bucket/key.ics"; got ${quote(data.ics)}`,
        path: ["ics"],
      },
    ];
  }
  const [, bucket = "", key = ""] = url;
  return {
    kind: "ics",
    source: { from: "s3", bucket, key },
    fileName: baseName(key),
    location: `s3://${bucket}/${key}`,
  };
};

/** A mistake on the command line: shown as one line on stderr, exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export const EXIT = { passed: 0, failed: 1, invalid: 2, aws: 3 } as const;

export const USAGE = `Usage: codepipeline-gates <command> <rule> [options]

Commands:
  validate <rule> <params>              Check UserParameters; every problem at once. Exit 0 valid, 2 invalid.
  check <rule> --params <params> [...]  Decide as the pipeline's Lambda would.
                                        Exit 0 passed, 1 gate failed, 2 configuration error, 3 permission/AWS error.
  next window-check --params <params>   The next open intervals, in the rule's time zone.
  schema <rule>                         The rule's UserParameters as JSON Schema (draft 2020-12).

Rules: artifact-check, ecr-findings-check, window-check

<params> is a JSON string, @file.json, or - (standard input).

check options:
  --artifact <dir|zip>          The input artifact: a zip file, or a folder read as its zip.
  --artifact NAME=<dir|zip>     Several input artifacts, by name (repeat the option).
  --image <uri>                 ecr-findings-check: the image to check (sets "image").
  --at <time>                   Decide at this ISO-8601 time, e.g. 2026-12-04T09:30:00Z (default now).
  --json                        Print one JSON object: {"rule", "outcome", "type"?, "message"?, "summary"?}.
next options:
  --at <time>                   Start from this time (default now).
  --count <N>                   How many intervals (default 5, at most 100).`;

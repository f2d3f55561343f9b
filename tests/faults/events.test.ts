import { randomUUID } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { jobEvent, MARKER_CREDENTIALS } from "../../local/job-event.js";
import { useLocalAws } from "../support/aws.js";
import {
  type Expected,
  expectOutcome,
  FUNCTIONS,
  type FunctionName,
  invoke,
} from "../support/fault-matrix.js";
import { invokeBundle } from "../support/lambda.js";
import { captureLogs } from "../support/logs.js";

/**
 * Fault matrix, events: what CodePipeline (or someone else) may send each function. Every row runs
 * the built bundle and must end in one outcome of the right type with a message that says what to
 * fix, before the deadline, with JSON logs and no credential in them (tests/support/fault-matrix).
 */
const aws = useLocalAws();

beforeAll(() => {
  // The loudest logging an operator could configure: the event must stay out of the logs anyway.
  process.env.POWERTOOLS_LOGGER_LOG_EVENT = "true";
  process.env.POWERTOOLS_LOG_LEVEL = "DEBUG";
});
beforeEach(() => aws.codePipeline.reset());

/** A value in UserParameters that must never show up in a log line (the event is never logged). */
const SENTINEL = `sentinel-${randomUUID()}`;

/** Per function: valid settings, a wrong type and what the message says about it. */
const SETTINGS: Record<
  FunctionName,
  { valid: Record<string, unknown>; wrongType: Record<string, unknown>; wrongTypeSays: string }
> = {
  "ecr-findings-check": {
    valid: { image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${SENTINEL}:v1` },
    wrongType: { failOnSeverity: 5 },
    wrongTypeSays:
      "failOnSeverity: expected one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED, NONE; got 5",
  },
  "artifact-check": {
    valid: { checks: [{ file: "a.json", expect: "ok", description: SENTINEL }] },
    wrongType: { checks: "reports/junit.xml" },
    wrongTypeSays: 'checks: expected array; got "reports/junit.xml"',
  },
  "window-check": {
    valid: { deny: [{ from: "2199-01-01", to: "2199-01-02", reason: SENTINEL }] },
    wrongType: { deny: "FRI-SUN" },
    wrongTypeSays: 'deny: expected array; got "FRI-SUN"',
  },
};

/** UserParameters of exactly `length` characters: valid JSON, padded in an unknown key. */
const padded = (length: number) => {
  const base = JSON.stringify({ x: "" });
  return JSON.stringify({ x: "a".repeat(length - base.length) });
};

interface Row {
  name: string;
  event: (fn: FunctionName) => unknown;
  type: Expected;
  says: (fn: FunctionName) => Array<string | RegExp>;
  only?: FunctionName[];
}

const ROWS: Row[] = [
  {
    name: "job without data",
    event: () => ({ "CodePipeline.job": { id: randomUUID() } }),
    type: "JobFailed",
    says: () => ["Malformed CodePipeline job event: data: expected object; got nothing"],
  },
  {
    name: "artifact that is not in S3",
    event: (fn) => {
      const event = jobEvent({
        userParameters: SETTINGS[fn].valid,
        artifacts: [{ name: "BuildArtifact", bucket: "b", key: "k" }],
      });
      const [artifact] = event["CodePipeline.job"].data.inputArtifacts;
      if (artifact) artifact.location.type = "CodeCommit";
      return event;
    },
    type: "JobFailed",
    says: () => [
      'Input artifact "BuildArtifact" has location type CodeCommit; only S3 artifacts can be read.',
    ],
  },
  {
    name: "no input artifact where one is needed",
    event: (fn) => jobEvent({ userParameters: fn === "ecr-findings-check" ? {} : SETTINGS[fn].valid }),
    type: "ConfigurationError",
    says: (fn) => [
      fn === "ecr-findings-check"
        ? 'No image to check: UserParameters has no "image", and the rule has no input artifact to read imageDetail.json or imagedefinitions.json from.'
        : "The rule has no input artifacts to read. Add the build's output artifact to the rule's InputArtifacts.",
    ],
    only: ["ecr-findings-check", "artifact-check"],
  },
  {
    name: "an input artifact name the rule does not have",
    event: (fn) =>
      jobEvent({
        userParameters:
          fn === "ecr-findings-check"
            ? { inputArtifact: "Nope" }
            : { ...SETTINGS[fn].valid, artifact: "Nope" },
        artifacts: [{ name: "BuildArtifact", bucket: "b", key: "k" }],
      }),
    type: "ConfigurationError",
    says: () => ['No input artifact named "Nope"; the rule\'s input artifacts are "BuildArtifact".'],
    only: ["ecr-findings-check", "artifact-check"],
  },
  {
    name: "no UserParameters",
    event: () => jobEvent(),
    type: "ConfigurationError",
    says: (fn) => [
      {
        "ecr-findings-check": 'No image to check: UserParameters has no "image"',
        "artifact-check": "Invalid UserParameters:\nchecks: expected array; got nothing",
        "window-check":
          'Invalid UserParameters:\nUserParameters: give at least one of "allow", "deny" or "changeCalendars"',
      }[fn],
    ],
  },
  {
    name: "UserParameters not JSON",
    event: () => jobEvent({ userParameters: `{"checks": [${SENTINEL}` }),
    type: "ConfigurationError",
    says: () => [
      /^UserParameters is not valid JSON \(.+\)\. Expected a JSON object such as \{"key": "value"\}\.$/,
    ],
  },
  ...(
    [
      ["an array", "[1, 2]", "an array"],
      ["a string", '"deny"', '"deny"'],
      ["null", "null", "null"],
      ["a number", "42", "42"],
    ] as const
  ).map(
    ([what, raw, got]): Row => ({
      name: `UserParameters ${what}, not an object`,
      event: () => jobEvent({ userParameters: raw }),
      type: "ConfigurationError",
      says: () => [`UserParameters must be a JSON object; got ${got}.`],
    }),
  ),
  {
    name: "UserParameters with a wrong type",
    event: (fn) => jobEvent({ userParameters: SETTINGS[fn].wrongType }),
    type: "ConfigurationError",
    says: (fn) => ["Invalid UserParameters:\n", SETTINGS[fn].wrongTypeSays],
  },
  {
    name: "UserParameters with an unknown key",
    event: (fn) => jobEvent({ userParameters: { ...SETTINGS[fn].valid, [SENTINEL]: true } }),
    type: "ConfigurationError",
    says: () => [`UserParameters: unknown key "${SENTINEL}"; allowed: `],
  },
  {
    name: "UserParameters over 10,000 characters",
    event: () => jobEvent({ userParameters: padded(10_001) }),
    type: "ConfigurationError",
    says: () => ["UserParameters is 10001 characters; CodePipeline allows at most 10000."],
  },
  {
    name: "UserParameters of exactly 10,000 characters (within the limit: the keys are checked)",
    event: () => jobEvent({ userParameters: padded(10_000) }),
    type: "ConfigurationError",
    says: () => ['UserParameters: unknown key "x"'],
  },
];

const CASES = ROWS.flatMap((row) =>
  FUNCTIONS.filter((fn) => !row.only || row.only.includes(fn)).map((fn) => ({ ...row, fn })),
);

describe("fault matrix: events", () => {
  it.each(CASES)("$fn: $name", async ({ fn, event, type, says }) => {
    const run = await expectOutcome(aws.codePipeline, fn, event(fn), { type, says: says(fn) });
    expect(run.returned?.reported).toBe("reported");
    expect(JSON.stringify(run.logs)).not.toContain(SENTINEL);
  });

  const notJobs: Array<[string, unknown]> = [
    ["an empty event", {}],
    ["an S3 notification", { Records: [{ eventSource: "aws:s3", s3: { bucket: { name: "b" } } }] }],
    [
      "a job without an id (carrying credentials)",
      { "CodePipeline.job": { data: { artifactCredentials: MARKER_CREDENTIALS } } },
    ],
    ["a job whose id is not a string", { "CodePipeline.job": { id: 42, data: {} } }],
  ];
  const notJobCases = notJobs.flatMap(([name, event]) => FUNCTIONS.map((fn) => ({ fn, name, event })));

  it.each(notJobCases)(
    "$fn: not a CodePipeline job ($name) rejects and reports nothing",
    async ({ fn, event }) => {
      const logs = captureLogs();
      let rejection: unknown;
      try {
        await invokeBundle(fn, event);
      } catch (error) {
        rejection = error;
      } finally {
        logs.restore();
      }
      expect(rejection).toMatchObject({
        name: "NotACodePipelineJobError",
        message: expect.stringContaining("This function must be invoked by a CodePipeline LambdaInvoke rule"),
      });
      expect(aws.codePipeline.calls).toBe(0);
      expect(logs.leaksCredentials()).toBe(false);
      const lines = logs.json();
      expect(
        lines.some((l) => l.level === "ERROR" && String(l.message).startsWith("Not a CodePipeline job")),
      ).toBe(true);
    },
  );

  it("never logs the event, even with POWERTOOLS_LOGGER_LOG_EVENT=true and DEBUG level", async () => {
    // A passing run (the window check needs no AWS but CodePipeline) with the sentinel in its event.
    const event = jobEvent({ userParameters: SETTINGS["window-check"].valid });
    const run = await invoke("window-check", event);
    expect(run.returned?.outcome?.status).toBe("succeeded");
    expect(run.logs.length).toBeGreaterThan(0);
    expect(JSON.stringify(run.logs)).not.toContain(SENTINEL);
  });
});

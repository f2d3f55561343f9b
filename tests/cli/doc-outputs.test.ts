import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { parseArgs } from "node:util";
import * as ecrSdk from "@aws-sdk/client-ecr";
import * as s3Sdk from "@aws-sdk/client-s3";
import * as ssmSdk from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, describe, expect, it } from "vitest";
import { decideLocally, localJob } from "../../cli/decide.js";
import { loadRule, type RuleName } from "../../cli/rules.js";
import { MAX_FAILURE_MESSAGE_CHARS, MAX_SUMMARY_CHARS, reportable } from "../../shared/report.js";
import { rangedGetObject } from "../support/s3-mock.js";
import { rawZip } from "../support/zips.js";
import { runCli, shellWords } from "./support.js";

/**
 * The example outputs in the rule docs — plain ``` blocks showing a failure message or a success
 * summary — are what the rules produce, never hand-copied. Right above each such block are one or
 * more markers saying how it is produced; the block must equal their outputs, in order:
 *
 *   <!-- output: check window-check --params <json-above> --at 2026-11-27T11:00:00+01:00 -->
 *   <!-- output: validate artifact-check @doc-outputs/artifact-check-invalid.json -->
 *   <!-- output: run doc-outputs/ecr/demo-app-v1.json --event ../events/ecr-findings-check/critical-finding-fails.json -->
 *
 * - `check …` and `validate …` run the built command line in examples/, as tests/cli/doc-examples
 *   does. Of `check`, the message or summary is compared: its first line (`FAILED <rule> (<type>)`
 *   or `PASSED <rule>`) is the command line's own.
 * - `run <fixture> [--params <json>|@file | --event <job event>] [--at <time>]` decides in-process
 *   the way `check` and the Lambda's runtime do (cli/decide.ts: the rule's schema, `load`, pure
 *   `evaluate`, warn mode) and compares what the pipeline would show. It is for what the command
 *   line cannot show: an artifact at its s3:// location, AWS answers, ECR scans. A fixture in
 *   examples/doc-outputs/ holds `rule` and any of: `userParameters` and `at` (the decision time;
 *   the options override them; `--event` takes the UserParameters of a CodePipeline job event),
 *   `artifacts` (folders, zipped and served by a mocked S3 at their s3:// location), `aws` (answers
 *   of mocked SDK clients: `{call: "S3.GetObject", input?, output | error}`), and `input`: what the
 *   rule's `load` returns, handed to `evaluate` instead of loading (ECR scans and their waits).
 * - `<json-above>` is the doc's nearest ```json block above the marker: the configuration shown
 *   and the output shown cannot drift apart. Paths are relative to examples/.
 * - ` | line N`, ` | lines N-M` or ` | lines N-` keeps those lines of the output, for a doc that
 *   shows an excerpt (a first line).
 *
 * A plain block without a marker fails; a block that is not an output (JSON, YAML, shell, a query)
 * names its language (```json, ```yaml, ```bash, ```sql …) and is skipped.
 */

const DOCS = [
  "docs/artifact-check.md",
  "docs/window-check.md",
  "docs/ecr-findings-check.md",
  "docs/operate.md",
];
const EXAMPLES = "examples";
const MARKER = /^<!-- output: (.+) -->$/;

interface Marker {
  command: string;
  args: string[];
  /** 1-based, inclusive; undefined: all lines. */
  lines?: { from: number; to?: number | undefined } | undefined;
}

interface Block {
  where: string;
  body: string;
  markers: Marker[];
}

const parseMarker = (text: string, jsonAbove: string | undefined, where: string): Marker => {
  const selector = /\s\|\s+lines?\s+(\d+)(?:-(\d*))?\s*$/.exec(text);
  const words = shellWords(selector ? text.slice(0, selector.index) : text).map((word) => {
    if (word !== "<json-above>") return word;
    if (jsonAbove === undefined) throw new Error(`${where}: <json-above> with no \`\`\`json block above`);
    return JSON.stringify(JSON.parse(jsonAbove));
  });
  const [command = "", ...args] = words;
  const lines = selector
    ? {
        from: Number(selector[1]),
        to:
          selector[2] === undefined
            ? Number(selector[1])
            : selector[2] === ""
              ? undefined
              : Number(selector[2]),
      }
    : undefined;
  return { command, args, lines };
};

/** Every plain ``` block of a doc, with the markers on the lines right above it. */
const blocksIn = (file: string): { blocks: Block[]; strayMarkers: string[] } => {
  const lines = readFileSync(file, "utf8").split("\n");
  const blocks: Block[] = [];
  const used = new Set<number>();
  let jsonAbove: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const fence = lines[i]?.match(/^\s*```(\S*)\s*$/);
    if (!fence) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i] ?? ""); i++) body.push(lines[i] ?? "");
    if (fence[1] === "json") jsonAbove = body.join("\n");
    if (fence[1] !== "") continue;
    const markers: Marker[] = [];
    for (let m = start - 1; m >= 0; m--) {
      const found = MARKER.exec(lines[m]?.trim() ?? "");
      if (!found) break;
      used.add(m);
      markers.unshift(parseMarker(found[1] ?? "", jsonAbove, `${file}:${m + 1}`));
    }
    blocks.push({ where: `${file}:${start + 1}`, body: `${body.join("\n")}\n`, markers });
  }
  const strayMarkers = lines.flatMap((line, n) =>
    MARKER.test(line.trim()) && !used.has(n) ? [`${file}:${n + 1}`] : [],
  );
  return { blocks, strayMarkers };
};

const found = DOCS.map(blocksIn);
const blocks = found.flatMap((f) => f.blocks);
const marked = blocks.filter((b) => b.markers.length > 0);

// ---- run: the rule in-process, as the Lambda's runtime runs it, with AWS answered from the fixture

const FIXTURE_KEYS = ["//", "rule", "at", "userParameters", "input", "artifacts", "aws"];
interface Fixture {
  rule: RuleName;
  /** The decision time, ISO-8601 with an offset. */
  at?: string;
  userParameters?: unknown;
  input?: unknown;
  artifacts?: Array<{ name: string; location: string; folder: string }>;
  aws?: Array<{
    call: string;
    input?: Record<string, unknown>;
    output?: Record<string, unknown>;
    error?: { name: string; message: string; status?: number };
  }>;
}

/** The SDKs whose clients a fixture may answer for: `call` is "<service>.<Command without "Command">". */
const SDKS = { S3: s3Sdk, SSM: ssmSdk, ECR: ecrSdk } as const;
type Service = keyof typeof SDKS;
/** What the test uses of aws-sdk-client-mock's stubs, whatever the client. */
interface Stub {
  reset(): void;
  restore(): void;
  on(
    command: unknown,
    input?: unknown,
  ): {
    resolves(output: unknown): void;
    rejects(error: unknown): void;
    callsFake(fake: (input: never) => unknown): void;
  };
}
const stubs = {
  S3: mockClient(s3Sdk.S3Client),
  SSM: mockClient(ssmSdk.SSMClient),
  ECR: mockClient(ecrSdk.ECRClient),
} as unknown as Record<Service, Stub>;
afterAll(() => {
  for (const stub of Object.values(stubs)) stub.restore();
});

/** Dates and sets in what `evaluate` receives, written in JSON as ISO times and arrays. */
const revive = (key: string, value: unknown): unknown => {
  if (key === "completedAt" && typeof value === "string") return new Date(value);
  if (key === "layers" && Array.isArray(value)) return new Set(value);
  return value;
};

/** A folder as the zip a build would upload: every file under it, by its path inside. */
const zipOf = (folder: string): Buffer => {
  const names = readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((name) => statSync(join(folder, name)).isFile())
    .map((name) => name.split(sep).join("/"))
    .sort();
  return rawZip(names.map((name) => ({ name, data: readFileSync(join(folder, name)) })));
};

/** The UserParameters of a CodePipeline job event (events/<rule>/*.json). */
const userParametersOf = (eventFile: string): string => {
  const event = JSON.parse(readFileSync(eventFile, "utf8")) as {
    "CodePipeline.job": { data: { actionConfiguration: { configuration: { UserParameters: string } } } };
  };
  return event["CodePipeline.job"].data.actionConfiguration.configuration.UserParameters;
};

/**
 * `run <fixture> [--params <json>|@file | --event <job event>] [--at <time>]`: the options give
 * (or override) the fixture's UserParameters and decision time; paths are relative to examples/.
 */
const runFixture = async (args: readonly string[]): Promise<string> => {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { params: { type: "string" }, event: { type: "string" }, at: { type: "string" } },
    allowPositionals: true,
  });
  const [path = "", ...extra] = positionals;
  if (extra.length) throw new Error(`run takes one fixture; got ${positionals.join(" ")}`);
  const fixture = JSON.parse(readFileSync(join(EXAMPLES, path), "utf8")) as Fixture;
  const unknownKeys = Object.keys(fixture).filter((key) => !FIXTURE_KEYS.includes(key));
  if (unknownKeys.length) throw new Error(`${path}: unknown keys ${unknownKeys.join(", ")}`);
  const params = values.event
    ? userParametersOf(join(EXAMPLES, values.event))
    : values.params?.startsWith("@")
      ? readFileSync(join(EXAMPLES, values.params.slice(1)), "utf8")
      : (values.params ?? JSON.stringify(fixture.userParameters));
  const at = values.at ?? fixture.at;
  if (params === undefined)
    throw new Error(`${path}: no UserParameters: give "userParameters", --params or --event`);
  if (at === undefined) throw new Error(`${path}: no decision time: give "at" or --at`);
  for (const stub of Object.values(stubs)) stub.reset();
  const artifacts = (fixture.artifacts ?? []).map(({ name, location, folder }) => {
    const [, bucket = "", key = ""] = /^s3:\/\/([^/]+)\/(.+)$/.exec(location) ?? [];
    const zip = zipOf(join(EXAMPLES, dirname(path), folder));
    stubs.S3.on(s3Sdk.GetObjectCommand, { Bucket: bucket, Key: key }).callsFake(
      (input: s3Sdk.GetObjectCommandInput) => rangedGetObject(zip, input),
    );
    return { name, revision: undefined, bucket, key };
  });
  for (const answer of fixture.aws ?? []) {
    const [service, command] = answer.call.split(".") as [Service, string];
    const Command = (SDKS[service] as Record<string, unknown>)[`${command}Command`];
    if (!stubs[service] || !Command) throw new Error(`${path}: no SDK command ${answer.call}`);
    const on = stubs[service].on(Command, answer.input);
    if (answer.error) {
      const { name, message, status = 400 } = answer.error;
      on.rejects(
        Object.assign(new Error(message), { name, $fault: "client", $metadata: { httpStatusCode: status } }),
      );
    } else on.resolves(answer.output ?? {});
  }
  const rule = await loadRule(fixture.rule);
  const input = fixture.input === undefined ? undefined : JSON.parse(JSON.stringify(fixture.input), revive);
  const outcome = await decideLocally(
    input === undefined ? rule : { ...rule, load: async () => input },
    // Minified, as `check` passes a configuration on.
    localJob(JSON.stringify(JSON.parse(params)), artifacts),
    new Date(at),
  );
  // What the pipeline shows, as the runtime reports it (and `check` prints it).
  return outcome.status === "succeeded"
    ? reportable(outcome.summary, "Passed.", MAX_SUMMARY_CHARS)
    : reportable(outcome.message, "Failed.", MAX_FAILURE_MESSAGE_CHARS);
};

// ---- the outputs

const outputOf = async ({ command, args }: Marker): Promise<string> => {
  if (command === "run") return `${await runFixture(args)}\n`;
  if (command !== "check" && command !== "validate") throw new Error(`unknown marker command ${command}`);
  const run = await runCli([command, ...args], { cwd: EXAMPLES });
  const output = run.stdout + run.stderr;
  if (command === "validate") return output;
  const [header, ...rest] = output.split("\n");
  expect(header, "check prints FAILED or PASSED, then the message or summary").toMatch(
    /^(FAILED|PASSED) [a-z-]+( \(\w+\))?$/,
  );
  return rest.join("\n");
};

const select = (output: string, lines: Marker["lines"]): string => {
  if (!lines) return output;
  const all = output.replace(/\n$/, "").split("\n");
  return `${all.slice(lines.from - 1, lines.to ?? all.length).join("\n")}\n`;
};

describe("example outputs in the rule docs", () => {
  it("finds the output blocks of every doc", () => {
    for (const doc of DOCS)
      expect(
        marked.some((b) => b.where.startsWith(`${doc}:`)),
        doc,
      ).toBe(true);
  });

  it("every plain ``` block is an output with a marker (code blocks name their language)", () => {
    expect(
      blocks.filter((b) => b.markers.length === 0).map((b) => b.where),
      "put <!-- output: … --> above each, or tag a block that is not an output with its language",
    ).toEqual([]);
  });

  it("every marker is right above a plain ``` block", () => {
    expect(found.flatMap((f) => f.strayMarkers)).toEqual([]);
  });

  it.each(marked)("$where", async ({ body, markers }) => {
    let produced = "";
    for (const marker of markers) produced += select(await outputOf(marker), marker.lines);
    expect(produced).toBe(body);
  });
});

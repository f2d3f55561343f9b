/**
 * npm run invoke -- <function> [event.json] [--params <json | @file.json>] [--now <ISO date-time>] [--aws]
 *
 * Runs the built bundle of a function on an event the way Lambda would (fresh Node process,
 * a context with the template's timeout as its deadline) and prints the outcome it reported.
 * By default against a local AWS: the one `npm run local-aws` keeps running if there is one
 * (fast: nothing to start or seed), else a fresh one for this run (moto_server for S3/ECR,
 * seeded with the fixtures the sample events need, and our CodePipeline/SSM-calendar
 * stand-in). With --aws, against the account and region of your current AWS credentials (the
 * outcome is then reported to the real job id). `--params` replaces the event's UserParameters;
 * without an event file the function's first sample event in events/<function>/ is the base.
 * Exits 0 when the invocation ran, whatever the gate decided.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type LocalAws, runningLocalAwsEnv, startLocalAws } from "./local-aws.js";
import { buildBundles, runBundle, templateFunctions } from "./run-bundle.js";

const usage =
  "usage: npm run invoke -- <function> [event.json] [--params <json | @file.json>] [--now <ISO date-time>] [--aws]";
const fail = (message: string): never => {
  console.error(
    `${message}\n${usage}\nfunctions: ${templateFunctions()
      .map((f) => f.name)
      .join(", ")}`,
  );
  process.exit(2);
};

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        params: { type: "string" },
        now: { type: "string" },
        aws: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();
const [name, eventArg] = positionals;
const fn = templateFunctions().find((f) => f.name === name);
if (!fn) fail(name ? `unknown function "${name}"` : "name a function");
const functionName = String(name);

const readText = (path: string, what: string): string => {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    return fail(
      `cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
};

const eventPath =
  eventArg ??
  (values.params !== undefined
    ? join(
        "events",
        functionName,
        readdirSync(join("events", functionName))
          .filter((f) => f.endsWith(".json"))
          .sort()[0] ?? "",
      )
    : fail("give an event file, or --params"));
type JobEvent = {
  "CodePipeline.job": { data: { actionConfiguration: { configuration: Record<string, string> } } };
};
const event = JSON.parse(readText(eventPath, "the event")) as JobEvent;
if (values.params !== undefined) {
  const raw = values.params.startsWith("@")
    ? readText(values.params.slice(1), "the params file")
    : values.params;
  // Given as the rule would get it: the string is the UserParameters, whether or not it is valid.
  event["CodePipeline.job"].data.actionConfiguration.configuration.UserParameters = raw;
  if (!eventArg) console.log(`(event: ${eventPath} with UserParameters from --params)\n`);
}

/** The bundle is rebuilt only when a source it is made of is newer (the build takes a second). */
const newestSource = (paths: string[]): number =>
  Math.max(
    ...paths.flatMap((p) => {
      const stat = statSync(p);
      return stat.isDirectory()
        ? [newestSource(readdirSync(p).map((child) => join(p, child)))]
        : [stat.mtimeMs];
    }),
  );
const bundleTime = (() => {
  try {
    return statSync(join("dist", functionName, "index.mjs")).mtimeMs;
  } catch {
    return 0;
  }
})();
if (
  bundleTime < newestSource([join("functions", functionName), "shared", "template.yaml", "package-lock.json"])
) {
  await buildBundles([functionName]);
}

let local: LocalAws | undefined;
const running = values.aws ? undefined : await runningLocalAwsEnv();
if (!values.aws && !running) {
  // Only now: the fixtures bring SDK clients that a run against a running local AWS does not need.
  const { CALENDARS, seedFixtures } = await import("./fixtures.js");
  local = await startLocalAws(CALENDARS);
  await seedFixtures(local);
}
try {
  const run = await runBundle(functionName, event, {
    env: local?.env ?? running ?? { ...process.env },
    timeoutMs: fn?.timeoutMs ?? 60_000,
    now: values.now,
  });
  for (const line of run.logs) console.log(line);
  console.log("");
  const result = run.result as { outcome?: Record<string, string>; reported?: string } | undefined;
  const outcome = result?.outcome;
  if (run.error) {
    console.log(`Invocation error: ${run.error}`);
  } else if (outcome?.status === "succeeded") {
    console.log(`PutJobSuccessResult (${result?.reported})\n${outcome.summary}`);
  } else if (outcome) {
    console.log(`PutJobFailureResult ${outcome.type} (${result?.reported})\n${outcome.message}`);
  }
  if (running) console.log("\n(ran against the local AWS of npm run local-aws)");
  // An event that is not a job is rejected by throwing, as Lambda would see it: the invocation still ran.
  process.exitCode = run.error && !run.error.startsWith("NotACodePipelineJobError") ? 1 : 0;
} finally {
  await local?.stop();
}

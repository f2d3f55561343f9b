/**
 * npm run invoke -- <function> <event.json> [--aws] [--now <ISO date-time>]
 *
 * Runs the built bundle of a function on an event the way Lambda would (fresh Node process,
 * a context with the template's timeout as its deadline) and prints the outcome it reported.
 * By default against a local AWS: moto_server for S3/ECR, seeded with the fixtures the sample
 * events need, and our CodePipeline/SSM-calendar stand-in. With --aws, against the account and
 * region of your current AWS credentials (the outcome is then reported to the real job id).
 * Exits 0 when the invocation ran, whatever the gate decided.
 */
import { readFileSync } from "node:fs";
import { CALENDARS, seedFixtures } from "./fixtures.js";
import { startLocalAws } from "./local-aws.js";
import { buildBundles, runBundle, templateFunctions } from "./run-bundle.js";

const usage = "usage: npm run invoke -- <function> <event.json> [--aws] [--now <ISO date-time>]";
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const [value] = args.splice(i, name === "--aws" ? 1 : 2).slice(1);
  return value ?? "";
};
const useAws = flag("--aws") !== undefined;
const now = flag("--now");
const [name, eventPath] = args;
const fn = templateFunctions().find((f) => f.name === name);
if (!fn || !eventPath) {
  console.error(
    `${usage}\nfunctions: ${templateFunctions()
      .map((f) => f.name)
      .join(", ")}`,
  );
  process.exit(2);
}
const event = JSON.parse(readFileSync(eventPath, "utf8")) as unknown;

await buildBundles([fn.name]);
const local = useAws ? undefined : await startLocalAws(CALENDARS);
try {
  if (local) await seedFixtures(local);
  const run = await runBundle(fn.name, event, {
    env: local?.env ?? { ...process.env },
    timeoutMs: fn.timeoutMs,
    now,
  });
  for (const line of run.logs) console.log(line);
  console.log("");
  const outcome = (run.result as { outcome?: Record<string, string>; reported?: string } | undefined)
    ?.outcome;
  if (run.error) {
    console.log(`Invocation error: ${run.error}`);
  } else if (outcome?.status === "succeeded") {
    console.log(`PutJobSuccessResult (${(run.result as { reported: string }).reported})\n${outcome.summary}`);
  } else if (outcome) {
    console.log(
      `PutJobFailureResult ${outcome.type} (${(run.result as { reported: string }).reported})\n${outcome.message}`,
    );
  }
  if (local) {
    const recorded = local.codePipeline.results;
    console.log(
      `\nLocal CodePipeline received ${recorded.length} result${recorded.length === 1 ? "" : "s"}.`,
    );
  }
  // An event that is not a job is rejected by throwing, as Lambda would see it: the invocation still ran.
  process.exitCode = run.error && !run.error.startsWith("NotACodePipelineJobError") ? 1 : 0;
} finally {
  await local?.stop();
}

import {
  MAX_FAILURE_MESSAGE_CHARS,
  MAX_SUMMARY_CHARS,
  type Outcome,
  reportable,
} from "../../shared/report.js";
import { useStandardRegion } from "../aws-region.js";
import { decideLocally, localJob } from "../decide.js";
import { inputArtifacts, parseAt, parseOptions } from "../options.js";
import { readUserParameters } from "../params-input.js";
import { loadRule, type RuleName, ruleName } from "../rules.js";
import { EXIT, UsageError } from "../usage.js";

/** Options that only some rules read; the others would ignore them silently. */
const ONLY_FOR: Record<string, readonly RuleName[]> = {
  // window-check reads "icsFile" calendars from an input artifact.
  artifact: ["artifact-check", "ecr-findings-check", "window-check"],
  image: ["ecr-findings-check"],
};

export const exitCodeOf = (outcome: Outcome): number => {
  if (outcome.status === "succeeded") return EXIT.passed;
  if (outcome.type === "JobFailed") return EXIT.failed;
  if (outcome.type === "ConfigurationError") return EXIT.invalid;
  return EXIT.aws;
};

/** `--image` sets UserParameters.image, as if it were written there. */
const withImage = (text: string, image: string | undefined): string => {
  if (image === undefined) return text;
  let params: unknown;
  try {
    params = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    return text; // The rule reports the JSON error.
  }
  if (typeof params !== "object" || params === null || Array.isArray(params)) return text;
  if ("image" in params)
    throw new UsageError('--image and UserParameters "image" both name the image: give one');
  return JSON.stringify({ ...params, image });
};

/** `check <rule> --params …`: the outcome the pipeline would show, and an exit code for scripts. */
export const check = async (args: readonly string[]): Promise<number> => {
  const { values, positionals } = parseOptions(args, {
    params: { type: "string" },
    artifact: { type: "string", multiple: true },
    image: { type: "string" },
    at: { type: "string" },
    json: { type: "boolean" },
  });
  const [ruleArg, ...extra] = positionals;
  const rule = ruleName(ruleArg);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  for (const [option, rules] of Object.entries(ONLY_FOR)) {
    if (values[option as keyof typeof values] !== undefined && !rules.includes(rule)) {
      throw new UsageError(`--${option} applies to ${rules.join(" and ")}, not ${rule}`);
    }
  }
  if (rule === "artifact-check" && !values.artifact?.length) {
    throw new UsageError("artifact-check reads an input artifact: give --artifact <dir|zip>");
  }
  const now = parseAt(values.at);
  const artifacts = inputArtifacts(values.artifact ?? []);
  const text = withImage(
    values.params === undefined ? "" : readUserParameters(values.params).text,
    values.image,
  );
  const job = localJob(text, artifacts);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const [definition] = await Promise.all([loadRule(rule), useStandardRegion()]);
  const outcome = await decideLocally(definition, job, now);
  // Shown as the pipeline would show it: control characters escaped, cut to CodePipeline's limits.
  const shown =
    outcome.status === "succeeded"
      ? { rule, outcome: "succeeded", summary: reportable(outcome.summary, "Passed.", MAX_SUMMARY_CHARS) }
      : {
          rule,
          outcome: "failed",
          type: outcome.type,
          message: reportable(outcome.message, "Failed.", MAX_FAILURE_MESSAGE_CHARS),
        };
  if (values.json) process.stdout.write(`${JSON.stringify(shown)}\n`);
  else if ("summary" in shown) process.stdout.write(`PASSED ${rule}\n${shown.summary}\n`);
  else process.stdout.write(`FAILED ${rule} (${shown.type})\n${shown.message}\n`);
  return exitCodeOf(outcome);
};

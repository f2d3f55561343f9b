import { spawnSync } from "node:child_process";

/**
 * Small, faithful re-statements of what AWS's own tools do with our files, read from their
 * source (aws/aws-lambda-builders, aws/aws-sam-cli), plus a bridge to the real SAM translator.
 * Tests hold the template and build to these, not to what our own build happens to accept.
 */

type Node = Record<string, unknown>;

const PYTHON = process.env.PYTHON ?? "python3";

/** True when the Python package samtranslator (installed with cfn-lint) can be imported. */
export const hasSamTranslator = (): boolean =>
  spawnSync(PYTHON, ["-c", "import samtranslator"], { stdio: "ignore" }).status === 0;

/** The CloudFormation template SAM's translator makes of a SAM template (scripts/sam-translate.py). */
export const samTranslate = (templatePath: string, parameters: Record<string, string> = {}): Node => {
  const args = Object.entries(parameters).map(([k, v]) => `${k}=${v}`);
  const run = spawnSync(PYTHON, ["scripts/sam-translate.py", templatePath, ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`SAM translator failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as Node;
};

/**
 * aws-sam-cli's resource_metadata_normalizer turns BuildProperties keys from PascalCase into
 * snake_case; aws-lambda-builders' EsbuildCommandBuilder turns them into esbuild CLI flags:
 * booleans `--key` (when true), strings `--key=value`, lists `--key:item` each, in kebab-case;
 * EntryPoints become positional arguments; bundle, platform and outdir are its own.
 */
export const samEsbuildArgs = (buildProperties: Node, outdir: string): string[] => {
  const config = Object.fromEntries(
    Object.entries(buildProperties).map(([key, value]) => [
      key.replace(/(?<!^)(?=[A-Z])/g, "_").toLowerCase(),
      value,
    ]),
  );
  const entryPoints = config.entry_points as string[];
  const args = [...entryPoints, "--bundle", "--platform=node", `--outdir=${outdir}`];
  if (!("target" in config)) args.push("--target=es2020");
  if (!("format" in config)) args.push("--format=cjs");
  if (!("minify" in config)) args.push("--minify");
  for (const [key, value] of Object.entries(config)) {
    if (["bundle", "platform", "outdir", "use_npm_ci", "entry_points"].includes(key)) continue;
    const flag = `--${key.replaceAll("_", "-")}`;
    if (typeof value === "boolean") {
      if (value) args.push(flag);
    } else if (typeof value === "string") args.push(`${flag}=${value}`);
    else if (Array.isArray(value)) args.push(...value.map((item) => `${flag}:${String(item)}`));
    else throw new Error(`SAM cannot pass BuildProperties.${key} (${JSON.stringify(value)}) to esbuild`);
  }
  return args;
};

/** aws-lambda-builders' production-only install in its scratch copy (NodejsNpmInstallAction). */
export const SAM_NPM_INSTALL = ["install", "-q", "--no-audit", "--no-save", "--unsafe-perm", "--omit=dev"];

/**
 * aws-sam-cli's EnvironmentVariables.resolve with LocalLambdaRunner._make_env_vars: the file's
 * "Parameters" apply to every function and a section named after the function overrides them,
 * but only for variables the function declares; an intrinsic function becomes "".
 */
export const samLocalEnvironment = (
  declared: Node,
  envVarsFile: Record<string, Record<string, unknown>>,
  logicalId: string,
): Record<string, string> => {
  const overrides = { ...(envVarsFile.Parameters ?? {}), ...(envVarsFile[logicalId] ?? {}) };
  const resolved: Record<string, string> = {};
  for (const [name, value] of Object.entries(declared)) {
    const chosen = name in overrides ? overrides[name] : value;
    resolved[name] =
      typeof chosen === "object" && chosen !== null
        ? ""
        : typeof chosen === "boolean"
          ? String(chosen).toLowerCase()
          : String(chosen ?? "");
  }
  return resolved;
};

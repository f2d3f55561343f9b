import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { functionBuilds, readTemplate } from "../../scripts/build-config.js";
import {
  hasSamTranslator,
  SAM_NPM_INSTALL,
  samEsbuildArgs,
  samLocalEnvironment,
  samTranslate,
} from "../support/aws-tools.js";

/**
 * The template and build as AWS's own tools see them: SAM's esbuild builder (a production-only
 * install in a scratch copy, then the esbuild it finds there), the SAM translator, and SAM CLI's
 * handling of `sam local invoke --env-vars`.
 */

type Node = Record<string, unknown>;
const template = readTemplate("template.yaml");
const samFunctions = Object.entries(template.Resources as Record<string, Node>).filter(
  ([, r]) => r.Type === "AWS::Serverless::Function",
);
const samById = Object.fromEntries(samFunctions);
/** Every action named in a policy, wherever a condition (Fn::If) put its statement. */
const actionsIn = (policy: unknown): string[] => {
  if (Array.isArray(policy)) return policy.flatMap(actionsIn).sort();
  if (typeof policy !== "object" || policy === null) return [];
  return Object.entries(policy)
    .flatMap(([key, value]) => (key === "Action" ? [value].flat().map(String) : actionsIn(value)))
    .sort();
};
const packageJson = JSON.parse(readFileSync("package.json", "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe("sam build (aws-lambda-builders NodejsNpmEsbuildWorkflow)", () => {
  const work = mkdtempSync(join(tmpdir(), "sam-build-"));
  const scratch = join(work, "scratch");
  // A PATH with only node, npm and the shell's basics: no global esbuild, and not the project's
  // node_modules/.bin (npm run puts it first on the PATH of our own tests).
  const bin = join(work, "bin");
  const path = [bin, "/usr/bin", "/bin"].join(delimiter);
  let install: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, "node"));
    const npm = spawnSync("sh", ["-c", "command -v npm"], { encoding: "utf8" }).stdout.trim();
    symlinkSync(realpathSync(npm), join(bin, "npm"));
    // CopySourceAction: the CodeUri without .aws-sam, .git and node_modules (dist left out too).
    cpSync(".", scratch, {
      recursive: true,
      filter: (src) =>
        !/(^|\/)(node_modules|\.git|\.aws-sam|dist|\.tmp)(\/|$)/.test(src.replace(/^\.\/?/, "")),
    });
    install = spawnSync("npm", [...SAM_NPM_INSTALL, "--prefer-offline"], {
      cwd: scratch,
      env: { ...process.env, PATH: path },
      encoding: "utf8",
    });
  }, 180_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("installs production dependencies only, and finds esbuild among them", () => {
    expect(install.status, String(install.stderr)).toBe(0);
    const installed = readdirSync(join(scratch, "node_modules"));
    expect(installed).not.toContain("vitest");
    expect(installed).not.toContain("typescript");
    // SubprocessEsbuild.esbuild_binary: `npm root`/.bin first, then the PATH (which has none here).
    expect(existsSync(join(scratch, "node_modules/.bin/esbuild"))).toBe(true);
    expect(spawnSync("sh", ["-c", "command -v esbuild"], { env: { PATH: path } }).status).not.toBe(0);
    expect(packageJson.dependencies.esbuild).toMatch(/^\d+\.\d+\.\d+$/);
    expect(packageJson.devDependencies.esbuild).toBeUndefined();
  });

  it.each(samFunctions)(
    "%s: SAM's esbuild run gives the same bundle as npm run build",
    async (logicalId, resource) => {
      const props = (resource.Metadata as Node).BuildProperties as Node;
      const samOut = join(work, ".aws-sam", "build", logicalId);
      const run = spawnSync(join(scratch, "node_modules/.bin/esbuild"), samEsbuildArgs(props, samOut), {
        cwd: scratch,
        env: { PATH: path },
        encoding: "utf8",
      });
      expect(run.status, run.stderr).toBe(0);

      const ours = functionBuilds("template.yaml", join(work, "dist")).find((b) => b.logicalId === logicalId);
      if (!ours) throw new Error(`npm run build does not build ${logicalId}`);
      await build({ ...ours.options, logLevel: "silent" });
      const ourDir = String(ours.options.outdir);
      // Every file either writes: index.mjs and the chunks code splitting makes, byte for byte.
      // (With Sourcemap on, chunk hashes would cover the maps, whose paths differ between the two.)
      const outputs = (dir: string) =>
        readdirSync(dir, { recursive: true, encoding: "utf8" })
          .filter((file) => statSync(join(dir, file)).isFile())
          .sort();
      const files = outputs(ourDir);
      expect(files).toContain("index.mjs");
      expect(outputs(samOut)).toEqual(files);
      for (const file of files) {
        expect(readFileSync(join(samOut, file)).equals(readFileSync(join(ourDir, file))), file).toBe(true);
      }
    },
  );
});

describe.skipIf(!hasSamTranslator())("SAM translator (samtranslator)", () => {
  const transformed = samTranslate("template.yaml");
  const resources = transformed.Resources as Record<string, Node>;
  const lambdas = samFunctions.map(([logicalId]) => [logicalId, resources[logicalId] as Node] as const);

  it("makes a Lambda function and a role of each SAM function", () => {
    for (const [logicalId, fn] of lambdas) {
      expect(fn.Type).toBe("AWS::Lambda::Function");
      expect(resources[`${logicalId}Role`]?.Type).toBe("AWS::IAM::Role");
    }
  });

  it.each(lambdas)("%s: handler, runtime and architecture fit the built bundle", async (logicalId, fn) => {
    const props = fn.Properties as Node;
    expect(props.Runtime).toBe("nodejs22.x");
    expect(props.Architectures).toEqual(["arm64"]);
    // Handler "index.handler": the Node runtime loads index.mjs (ESM) and calls its export `handler`.
    const [file, exportName] = String(props.Handler).split(".");
    const ours = functionBuilds().find((b) => b.logicalId === logicalId);
    if (!ours) throw new Error(`no build for ${logicalId}`);
    const result = await build({ ...ours.options, write: false, logLevel: "silent" });
    const outputs = result.metafile?.outputs ?? {};
    const bundle = Object.entries(outputs).find(([name]) => name.endsWith(`/${file}.mjs`));
    expect(bundle?.[1].exports).toContain(exportName);
    expect((fn.Metadata as Node).BuildMethod).toBe("esbuild");
  });

  it.each(lambdas)("%s: the role keeps exactly the template's actions, plus CloudWatch Logs", (logicalId) => {
    const role = resources[`${logicalId}Role`]?.Properties as Node;
    expect(role.ManagedPolicyArns).toEqual([
      "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    ]);
    const source = samById[logicalId]?.Properties as Node;
    expect(actionsIn(role.Policies)).toEqual(actionsIn(source.Policies));
    expect(actionsIn(role.Policies)).toContain("codepipeline:PutJobFailureResult");
  });

  it("grants the ECR check inspector2:ListFindings (enhanced findings) and takes other accounts and regions by parameter", () => {
    const role = resources.EcrFindingsCheckFunctionRole?.Properties as Node;
    expect(actionsIn(role.Policies)).toContain("inspector2:ListFindings");
    const readFindings = JSON.stringify(role.Policies);
    expect(readFindings).toContain("EcrExtraRepositoryArns");
    const parameters = transformed.Parameters as Record<string, Node>;
    expect(parameters.EcrExtraRepositoryArns?.Type).toBe("CommaDelimitedList");
    expect(parameters.ChangeCalendarExtraArns?.Type).toBe("CommaDelimitedList");
    expect(JSON.stringify((resources.WindowCheckFunctionRole as Node).Properties)).toContain(
      "ChangeCalendarExtraArns",
    );
  });

  it("exports each function's name and ARN for pipeline stacks", () => {
    const outputs = transformed.Outputs as Record<string, Node>;
    for (const [logicalId] of lambdas) {
      expect(outputs[`${logicalId}Name`]?.Export).toBeDefined();
      expect(outputs[`${logicalId}Arn`]?.Export).toBeDefined();
    }
  });

  it.each(lambdas)(
    "%s: sam local invoke --env-vars events/sam-local-env.json reaches the local endpoints",
    (logicalId, fn) => {
      const declared = ((fn.Properties as Node).Environment as Node).Variables as Node;
      const file = JSON.parse(readFileSync("events/sam-local-env.json", "utf8")) as Record<string, Node>;
      const env = samLocalEnvironment(declared, file, logicalId);
      const wanted = { ...(file.Parameters ?? {}), ...(file[logicalId] ?? {}) };
      expect(Object.keys(wanted).length).toBeGreaterThan(0);
      for (const [name, value] of Object.entries(wanted)) expect(env[name], name).toBe(value);
      // Deployed, the same variables are empty, which the SDK treats as unset.
      for (const name of Object.keys(wanted)) expect(declared[name], name).toBe("");
    },
  );
});

import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { functionBuilds, readTemplate } from "../../scripts/build-config.js";
import { sdkUsage } from "../../scripts/sdk-usage.js";

/**
 * What cfn-lint does not check (it runs separately in `npm test`): our build settings in
 * Metadata, condition results and rule providers in the example pipeline, and that each
 * function's role grants exactly the AWS actions its bundled code calls.
 */

type Node = Record<string, unknown>;
const template = readTemplate("template.yaml");
const resources = template.Resources as Record<string, Node>;
const functions = Object.entries(resources).filter(([, r]) => r.Type === "AWS::Serverless::Function");
const globals = (template.Globals as Node).Function as Node;

const EXPECTED_FUNCTIONS = {
  EcrFindingsCheckFunction: "ecr-findings-check",
  ArtifactCheckFunction: "artifact-check",
  WindowCheckFunction: "window-check",
};

describe("template.yaml", () => {
  it("declares the three functions", () => {
    expect(Object.fromEntries(functionBuilds().map((b) => [b.logicalId, b.name]))).toEqual(
      EXPECTED_FUNCTIONS,
    );
  });

  it.each(functions)("%s runs on nodejs22.x or newer, arm64", (_, resource) => {
    const props = resource.Properties as Node;
    const runtime = String(props.Runtime ?? globals.Runtime);
    expect(runtime).toMatch(/^nodejs(\d+)\.x$/);
    expect(Number(runtime.match(/\d+/)?.[0])).toBeGreaterThanOrEqual(22);
    expect(props.Architectures ?? globals.Architectures).toEqual(["arm64"]);
  });

  it.each(functions)("%s is built by esbuild with the shared settings", (_, resource) => {
    const metadata = resource.Metadata as Node;
    expect(metadata.BuildMethod).toBe("esbuild");
    const { EntryPoints, ...settings } = metadata.BuildProperties as Node;
    expect(settings).toEqual({
      Format: "esm",
      Target: "node22",
      Minify: true,
      Sourcemap: true,
      MainFields: "module,main",
      OutExtension: [".js=.mjs"],
    });
    expect(EntryPoints).toHaveLength(1);
    expect(existsSync(String((EntryPoints as string[])[0]))).toBe(true);
  });

  it.each(functions)("%s has a log group with retention and exported name and ARN", (logicalId) => {
    const logGroup = Object.values(resources).find(
      (r) => r.Type === "AWS::Logs::LogGroup" && JSON.stringify(r.Properties).includes(`\${${logicalId}}`),
    );
    expect((logGroup?.Properties as Node | undefined)?.RetentionInDays).toEqual({
      Ref: "LogRetentionInDays",
    });
    const outputs = template.Outputs as Record<string, Node>;
    expect(outputs[`${logicalId}Name`]?.Value).toEqual({ Ref: logicalId });
    expect(outputs[`${logicalId}Arn`]?.Value).toEqual({ GetAtt: `${logicalId}.Arn` });
  });

  it("carries the Serverless Application Repository metadata", () => {
    const app = (template.Metadata as Node)["AWS::ServerlessRepo::Application"] as Node;
    expect(app).toMatchObject({
      Name: expect.any(String),
      SemanticVersion: expect.stringMatching(/^\d+\.\d+\.\d+$/),
    });
    expect(existsSync(String(app.LicenseUrl))).toBe(true);
    expect(existsSync(String(app.ReadmeUrl))).toBe(true);
  });
});

/** A statement a condition grants (`!If [cond, statement, !Ref AWS::NoValue]`) counts as granted. */
const unwrapCondition = (statement: Node): Node[] =>
  "If" in statement
    ? ((statement.If as unknown[]).slice(1) as Node[]).filter((s) => !("Ref" in s))
    : [statement];

/** The AWS actions a function's role grants, from its inline policy statements. */
const grantedActions = (resource: Node): string[] =>
  ((resource.Properties as Node).Policies as Node[]).flatMap((policy) =>
    (policy.Statement as Node[]).flatMap(unwrapCondition).flatMap((s) => [s.Action].flat().map(String)),
  );

/** Client packages whose calls use the function's role. */
const ROLE_SERVICES: Record<string, string> = {
  "@aws-sdk/client-codepipeline": "codepipeline",
  "@aws-sdk/client-ecr": "ecr",
  "@aws-sdk/client-s3": "s3",
  "@aws-sdk/client-ssm": "ssm",
};

/** The input artifact reader signs with the job's artifact credentials, not the function's role. */
const usesJobCredentials = (source: string) => source.startsWith("shared/artifacts/");

/** The `service:Action`s the bundled source of a function calls with the function's role. */
const calledActions = async (entry: string): Promise<string[]> => {
  const usage = await sdkUsage(entry, usesJobCredentials);
  return Object.entries(usage)
    .flatMap(([pkg, { commands }]) => {
      const service = ROLE_SERVICES[pkg];
      return service ? commands.map((c) => `${service}:${c.replace(/Command$/, "")}`) : [];
    })
    .sort();
};

describe("least privilege", () => {
  it.each(functions)("%s grants no wildcard actions", (_, resource) => {
    for (const action of grantedActions(resource)) expect(action).not.toMatch(/\*/);
  });

  it("counts the window check's role S3 read, and not the artifact reader's", async () => {
    // Both bundle the artifact reader; only window-check reads S3 with its role (iCalendar files).
    expect(await calledActions("functions/window-check/index.ts")).toContain("s3:GetObject");
    expect(await calledActions("functions/artifact-check/index.ts")).not.toContain("s3:GetObject");
  });

  it("grants the window check s3:GetObject only on the HolidayCalendarObjects, and only when set", () => {
    const statements = (
      ((resources.WindowCheckFunction as Node).Properties as Node).Policies as Node[]
    ).flatMap((p) => p.Statement as Node[]);
    expect(statements).toContainEqual({
      If: [
        "HasHolidayCalendarObjects",
        {
          Sid: "ReadHolidayCalendars",
          Effect: "Allow",
          Action: ["s3:GetObject"],
          Resource: { Ref: "HolidayCalendarObjects" },
        },
        { Ref: "AWS::NoValue" },
      ],
    });
    expect((template.Parameters as Record<string, Node>).HolidayCalendarObjects).toMatchObject({
      Type: "CommaDelimitedList",
      Default: "",
    });
    expect((template.Conditions as Node).HasHolidayCalendarObjects).toEqual({
      Not: [{ Equals: [{ Join: ["", { Ref: "HolidayCalendarObjects" }] }, ""] }],
    });
  });

  it.each(functions)("%s grants exactly the actions its code calls", async (_, resource) => {
    const entry = ((resource.Metadata as Node).BuildProperties as Node).EntryPoints as string[];
    expect([...grantedActions(resource)].sort()).toEqual(await calledActions(String(entry[0])));
  });
});

describe("examples/pipeline.yaml", () => {
  const pipeline = readTemplate("examples/pipeline.yaml");
  const resource = (pipeline.Resources as Record<string, Node>).Pipeline as Node;
  const stages = (resource.Properties as Node).Stages as Node[];
  const RESULTS: Record<string, string[]> = {
    BeforeEntry: ["FAIL", "SKIP"],
    OnSuccess: ["ROLLBACK", "FAIL"],
    OnFailure: ["ROLLBACK", "RETRY"],
  };
  const PROVIDERS = ["LambdaInvoke", "VariableCheck", "CloudWatchAlarm", "DeploymentWindow", "Commands"];
  const conditions = stages.flatMap((stage) =>
    Object.keys(RESULTS).flatMap((kind) =>
      (((stage[kind] as Node | undefined)?.Conditions as Node[] | undefined) ?? []).map((condition) => ({
        stage: String(stage.Name),
        kind,
        condition,
      })),
    ),
  );

  it("wires the blog's three scenarios", () => {
    expect(conditions.map((c) => `${c.stage}.${c.kind}.${c.condition.Result}`)).toEqual([
      "Build.OnSuccess.FAIL",
      "DeployToStage.OnSuccess.ROLLBACK",
      "DeployToProduction.BeforeEntry.FAIL",
    ]);
  });

  it.each(conditions)("$stage $kind uses a valid result and 1–5 valid rules", ({ kind, condition }) => {
    expect(RESULTS[kind]).toContain(condition.Result);
    const rules = condition.Rules as Node[];
    expect(rules.length).toBeGreaterThanOrEqual(1);
    expect(rules.length).toBeLessThanOrEqual(5);
    for (const rule of rules) {
      expect(rule.RuleTypeId).toMatchObject({ Category: "Rule", Owner: "AWS", Version: "1" });
      expect(PROVIDERS).toContain((rule.RuleTypeId as Node).Provider);
    }
  });

  it("invokes only functions the suite exports, with UserParameters that are JSON objects", () => {
    const exported = Object.values(template.Outputs as Record<string, Node>).map((o) =>
      // biome-ignore lint/suspicious/noTemplateCurlyInString: these are CloudFormation !Sub placeholders.
      String(((o.Export as Node).Name as Node).Sub).replace("${AWS::StackName}", "${GatesStackName}"),
    );
    const lambdaRules = conditions
      .flatMap((c) => c.condition.Rules as Node[])
      .filter((r) => (r.RuleTypeId as Node).Provider === "LambdaInvoke");
    expect(lambdaRules).toHaveLength(3);
    for (const rule of lambdaRules) {
      const config = rule.Configuration as Node;
      const functionName = config.FunctionName as Node;
      const imported = String(((functionName["Fn::ImportValue"] ?? functionName.ImportValue) as Node).Sub);
      expect(exported).toContain(imported);
      const raw = config.UserParameters as string | Node;
      const text = typeof raw === "string" ? raw : String(raw.Sub).replace(/\$\{\w+\}/g, "UTC");
      expect(JSON.parse(text)).toBeTypeOf("object");
    }
  });
});

import { existsSync, readFileSync } from "node:fs";
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
      Sourcemap: false,
      Splitting: true,
      ChunkNames: "chunks/[name]-[hash]",
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
    // One version: package.json, the published application and the newest CHANGELOG entry.
    const version = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;
    expect(app.SemanticVersion).toBe(version);
    expect(readFileSync("CHANGELOG.md", "utf8")).toMatch(
      new RegExp(`^## ${version.replaceAll(".", "\\.")} `, "m"),
    );
    expect(readFileSync("CHANGELOG.md", "utf8").match(/^## (\d+\.\d+\.\d+)/m)?.[1]).toBe(version);
    expect(existsSync(String(app.LicenseUrl))).toBe(true);
    expect(existsSync(String(app.ReadmeUrl))).toBe(true);
  });
});

/** A statement granted only under a condition: `!If [Condition, statement, !Ref AWS::NoValue]`. */
const conditional = (statement: Node): { condition: string; statement: Node } | undefined => {
  const branches = statement.If as [string, Node, Node] | undefined;
  if (!branches) return undefined;
  expect(branches[2]).toEqual({ Ref: "AWS::NoValue" });
  return { condition: branches[0], statement: branches[1] };
};

/** A function's inline policy statements, conditional ones as granted when their condition holds. */
const statementsOf = (resource: Node): Node[] =>
  ((resource.Properties as Node).Policies as Node[]).flatMap((policy) =>
    (policy.Statement as Node[]).map((s) => conditional(s)?.statement ?? s),
  );

/** The AWS actions a function's role grants (with every parameter set), from its inline policy statements. */
const grantedActions = (resource: Node): string[] =>
  statementsOf(resource).flatMap((s) => [s.Action].flat().map(String));

/** Client packages whose calls use the function's role. */
const ROLE_SERVICES: Record<string, string> = {
  "@aws-sdk/client-codepipeline": "codepipeline",
  "@aws-sdk/client-ecr": "ecr",
  "@aws-sdk/client-ecs": "ecs",
  "@aws-sdk/client-eventbridge": "events",
  "@aws-sdk/client-inspector2": "inspector2",
  "@aws-sdk/client-lambda": "lambda",
  "@aws-sdk/client-s3": "s3",
  "@aws-sdk/client-ssm": "ssm",
};

/** Where the S3 client signs with the job's artifact credentials, not the function's role. */
const JOB_CREDENTIALS = (source: string) => source.startsWith("shared/artifacts/");

/**
 * Actions a call needs besides its own, because the service makes further calls with the
 * caller's permissions. ECR user guide, "IAM permissions required for enhanced scanning":
 * DescribeImageScanFindings reads enhanced findings through inspector2:ListFindings.
 */
const IMPLIED_ACTIONS: Record<string, string[]> = {
  "ecr:DescribeImageScanFindings": ["inspector2:ListFindings"],
};

/** The `service:Action`s the bundled source of a function calls with its role, and what they imply. */
const calledActions = async (entry: string): Promise<string[]> => {
  const usage = await sdkUsage(entry, { skip: JOB_CREDENTIALS });
  const called = Object.entries(usage).flatMap(([pkg, { commands }]) => {
    const service = ROLE_SERVICES[pkg];
    return service ? commands.map((c) => `${service}:${c.replace(/Command$/, "")}`) : [];
  });
  return [...new Set(called.flatMap((action) => [action, ...(IMPLIED_ACTIONS[action] ?? [])]))].sort();
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

  it.each(functions)(
    "%s can put decision records only where the parameters say, when they are set",
    (_, resource) => {
      const byCondition = Object.fromEntries(
        ((resource.Properties as Node).Policies as Node[])
          .flatMap((policy) => (policy.Statement as Node[]).map(conditional))
          .filter((c) => c?.condition.startsWith("HasDecision"))
          .map((c) => [c?.condition, c?.statement]),
      );
      expect(byCondition).toEqual({
        HasDecisionEventBus: {
          Sid: "PutDecisionEvents",
          Effect: "Allow",
          Action: ["events:PutEvents"],
          Resource: {
            // biome-ignore lint/suspicious/noTemplateCurlyInString: these are CloudFormation !Sub placeholders.
            Sub: "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/${DecisionEventBusName}",
          },
        },
        HasDecisionBucket: {
          Sid: "PutDecisionRecords",
          Effect: "Allow",
          Action: ["s3:PutObject"],
          // biome-ignore lint/suspicious/noTemplateCurlyInString: these are CloudFormation !Sub placeholders.
          Resource: { Sub: "arn:${AWS::Partition}:s3:::${DecisionBucketName}/${DecisionKeyPrefix}/*" },
        },
      });
    },
  );

  it("sets the decision record settings only when their parameters are set", () => {
    const conditions = template.Conditions as Node;
    expect(conditions.HasDecisionEventBus).toEqual({
      Not: [{ Equals: [{ Ref: "DecisionEventBusName" }, ""] }],
    });
    expect(conditions.HasDecisionBucket).toEqual({ Not: [{ Equals: [{ Ref: "DecisionBucketName" }, ""] }] });
    expect((globals.Environment as Node).Variables as Node).toMatchObject({
      DECISION_EVENT_BUS: {
        If: ["HasDecisionEventBus", { Ref: "DecisionEventBusName" }, { Ref: "AWS::NoValue" }],
      },
      DECISION_BUCKET: { If: ["HasDecisionBucket", { Ref: "DecisionBucketName" }, { Ref: "AWS::NoValue" }] },
      DECISION_KEY_PREFIX: { Ref: "DecisionKeyPrefix" },
    });
  });
});

/**
 * Evaluates the intrinsic functions a policy's Resource uses (If, Split, Sub, Join, Ref, Not,
 * Equals) for given parameter values, with this account and region as the pseudo parameters.
 */
const resolve = (node: unknown, parameters: Record<string, unknown>): unknown => {
  const pseudo: Record<string, string> = {
    "AWS::Partition": "aws",
    "AWS::Region": "us-east-1",
    "AWS::AccountId": "123456789012",
  };
  // Tags on sequences come back as YAML nodes; JSON gives their plain values.
  const conditions = JSON.parse(JSON.stringify(template.Conditions)) as Record<string, unknown>;
  const sub = (text: string, vars: Record<string, unknown>) =>
    text.replace(/\$\{([\w:]+)\}/g, (_, name: string) =>
      String(vars[name] ?? pseudo[name] ?? parameters[name] ?? `<${name}>`),
    );
  const r = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(r);
    if (typeof n !== "object" || n === null) return n;
    const [fn, arg] = Object.entries(n)[0] as [string, unknown];
    const args = arg as unknown[];
    switch (fn) {
      case "Ref":
        return parameters[arg as string] ?? pseudo[arg as string];
      case "If":
        return r(conditions[args[0] as string]) ? r(args[1]) : r(args[2]);
      case "Not":
        return !r(args[0]);
      case "Equals":
        return r(args[0]) === r(args[1]);
      case "Join":
        return (r(args[1]) as unknown[]).join(args[0] as string);
      case "Split":
        return String(r(args[1])).split(args[0] as string);
      case "Sub":
        return typeof arg === "string"
          ? sub(arg, {})
          : sub(args[0] as string, r(args[1] ?? {}) as Record<string, unknown>);
      default:
        return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, r(v)]));
    }
  };
  return r(JSON.parse(JSON.stringify(node)));
};

/** Resources a statement grants with its pattern parameter at "*" and the extra ARNs given. */
const accessTo = (logicalId: string, sid: string, pattern: string, extraParameter: string) => {
  const role = (resources[logicalId] as Node).Properties as Node;
  const statements = ((role.Policies as Node[])[0] as Node).Statement as Node[];
  const statement = statements.find((s) => s.Sid === sid) as Node;
  return (extra: string[]) =>
    [resolve(statement.Resource, { [pattern]: "*", [extraParameter]: extra })].flat();
};

describe.each([
  {
    what: "ECR check repositories",
    resourcesFor: accessTo(
      "EcrFindingsCheckFunction",
      "ReadScanFindings",
      "EcrRepositoryPattern",
      "EcrExtraRepositoryArns",
    ),
    own: "arn:aws:ecr:us-east-1:123456789012:repository/*",
    // Other regions and other accounts.
    extra: [
      "arn:aws:ecr:eu-west-1:123456789012:repository/*",
      "arn:aws:ecr:us-east-1:210987654321:repository/team-a/*",
    ],
  },
  {
    what: "window check change calendars",
    resourcesFor: accessTo(
      "WindowCheckFunction",
      "ReadChangeCalendars",
      "ChangeCalendarPattern",
      "ChangeCalendarExtraArns",
    ),
    own: "arn:aws:ssm:us-east-1:123456789012:document/*",
    // A calendar shared from another account.
    extra: ["arn:aws:ssm:us-east-1:210987654321:document/prod-freeze"],
  },
])("$what", ({ resourcesFor, own, extra }) => {
  it("covers this account and region only, by default", () => {
    expect(resourcesFor([])).toEqual([own]);
  });

  it("adds the extra ARNs (other regions and accounts) to this account's", () => {
    expect(resourcesFor(extra)).toEqual([own, ...extra]);
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

/**
 * Finds the baseline image: what runs in production now. An image named directly, the image of
 * an ECS service's current task definition, or a container-image Lambda's image. Anything that
 * stops us from naming it fails the rule, saying why: never a silent fall-back to no baseline.
 */
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { GetFunctionCommand } from "@aws-sdk/client-lambda";
import { awsFailure, awsRegion, deniedAction, jobFailed, permissionError } from "../../shared/index.js";
import { ecsClient, lambdaClient } from "./clients.js";
import { type ImageTarget, parseImageUri } from "./image-ref.js";
import type { BaselineParam } from "./params.js";

/** The region in an ARN ("arn:aws:ecs:eu-west-1:…"), else the function's. */
const regionOf = (nameOrArn: string): string =>
  /^arn:[^:]+:[^:]+:([a-z0-9-]+):/.exec(nameOrArn)?.[1] ?? awsRegion();

const unreadable = (what: string, detail: string) =>
  jobFailed(
    `Baseline unreadable: ${what}: ${detail}. Without the baseline the check cannot tell new findings from inherited ones.`,
  );

/** Runs one AWS call for the baseline; failures name the baseline and the action. */
const call = async <T>(what: string, action: string, send: () => Promise<T>): Promise<T> => {
  try {
    return await send();
  } catch (error) {
    throw awsFailure(error, {
      "access-denied": (detail) => {
        const denied = deniedAction(error) ?? action;
        return permissionError(
          `Baseline unreadable: access denied calling ${denied} for ${what}: ${detail}. The function's role needs ${denied} (see "IAM" in the README).`,
        );
      },
      "not-found": (detail) => unreadable(what, detail),
    });
  }
};

const imageTarget = (what: string, uri: string): ImageTarget => {
  const parsed = parseImageUri(uri);
  if (!parsed.ok) throw unreadable(what, `its image ${parsed.message}; only ECR images can be a baseline`);
  return { ref: parsed.ref, origin: what };
};

const fromEcsService = async (
  service: NonNullable<BaselineParam["ecsService"]>,
  signal: AbortSignal,
): Promise<ImageTarget> => {
  const region = regionOf(service.service.startsWith("arn:") ? service.service : service.cluster);
  const client = ecsClient(region);
  const what = `ECS service "${service.service}" in cluster "${service.cluster}"`;
  const described = await call(what, "ecs:DescribeServices", () =>
    client.send(new DescribeServicesCommand({ cluster: service.cluster, services: [service.service] }), {
      abortSignal: signal,
    }),
  );
  const found = described.services?.find((s) => s.status !== "INACTIVE");
  const taskDefinition = found?.taskDefinition;
  if (!taskDefinition) {
    const failure = described.failures?.[0];
    throw unreadable(
      what,
      failure
        ? `ECS says ${failure.reason ?? "MISSING"}${failure.detail ? ` (${failure.detail})` : ""}`
        : "no such active service",
    );
  }
  const definition = await call(what, "ecs:DescribeTaskDefinition", () =>
    client.send(new DescribeTaskDefinitionCommand({ taskDefinition }), { abortSignal: signal }),
  );
  const containers = definition.taskDefinition?.containerDefinitions ?? [];
  const names = containers.map((c) => `"${c.name ?? "?"}"`).join(", ");
  const container = service.container
    ? containers.find((c) => c.name === service.container)
    : containers.length === 1
      ? containers[0]
      : undefined;
  const revision = taskDefinition.split("/").at(-1) ?? taskDefinition;
  if (!container?.image) {
    throw unreadable(
      what,
      service.container
        ? `task definition ${revision} has no container "${service.container}"; it has ${names || "none"}`
        : `task definition ${revision} has ${containers.length} containers (${names}); name one in "container"`,
    );
  }
  return imageTarget(`${what}, container "${container.name}" of ${revision}`, container.image);
};

const fromLambda = async (name: string, signal: AbortSignal): Promise<ImageTarget> => {
  const what = `Lambda function "${name}"`;
  const fn = await call(what, "lambda:GetFunction", () =>
    lambdaClient(regionOf(name)).send(new GetFunctionCommand({ FunctionName: name }), {
      abortSignal: signal,
    }),
  );
  // ResolvedImageUri pins the digest the function runs; ImageUri may be a tag.
  const uri = fn.Code?.ResolvedImageUri ?? fn.Code?.ImageUri;
  if (fn.Configuration?.PackageType !== "Image" || !uri) {
    throw unreadable(
      what,
      "it is not a container-image function (PackageType Zip), so it has no image to compare with",
    );
  }
  return imageTarget(what, uri);
};

/** The baseline image to read findings from. */
export const resolveBaseline = async (baseline: BaselineParam, signal: AbortSignal): Promise<ImageTarget> => {
  if (baseline.image) return { ref: baseline.image, origin: "baseline image" };
  if (baseline.ecsService) return fromEcsService(baseline.ecsService, signal);
  if (baseline.lambdaFunction) return fromLambda(baseline.lambdaFunction, signal);
  throw new Error("unreachable: the schema requires one baseline source");
};

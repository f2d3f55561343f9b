import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ServiceNotFoundException,
} from "@aws-sdk/client-ecs";
import { GetFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { resolveBaseline } from "../../../functions/ecr-findings-check/baseline.js";
import { RuleError } from "../../../shared/errors.js";

const ecs = mockClient(ECSClient);
const lambda = mockClient(LambdaClient);
const signal = new AbortController().signal;
const REGISTRY = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
const DIGEST = `sha256:${"5".repeat(64)}`;

beforeEach(() => {
  ecs.reset();
  lambda.reset();
});

const failureOf = async (promise: Promise<unknown>) => {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RuleError);
  return error as RuleError;
};

describe("baseline from an ECS service", () => {
  const service = (taskDefinition = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:42") =>
    ecs
      .on(DescribeServicesCommand)
      .resolves({ services: [{ serviceName: "web", status: "ACTIVE", taskDefinition }] });
  const containers = (...defs: Array<{ name: string; image: string }>) =>
    ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { containerDefinitions: defs } });

  it("takes the image of the service's current task definition", async () => {
    service();
    containers({ name: "web", image: `${REGISTRY}/web:v41` });
    const target = await resolveBaseline({ ecsService: { cluster: "prod", service: "web" } }, signal);
    expect(target).toEqual({
      ref: { repository: "web", tag: "v41", registryId: "123456789012", region: "us-east-1" },
      origin: 'ECS service "web" in cluster "prod", container "web" of web:42',
    });
    expect(ecs.commandCalls(DescribeServicesCommand)[0]?.args[0].input).toEqual({
      cluster: "prod",
      services: ["web"],
    });
    expect(ecs.commandCalls(DescribeTaskDefinitionCommand)[0]?.args[0].input).toEqual({
      taskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:42",
    });
  });

  it("needs the container named when the task has several, and says which exist", async () => {
    service();
    containers(
      { name: "web", image: `${REGISTRY}/web:v1` },
      { name: "envoy", image: `${REGISTRY}/envoy:v1` },
    );
    const unnamed = await failureOf(
      resolveBaseline({ ecsService: { cluster: "prod", service: "web" } }, signal),
    );
    expect(unnamed.message).toContain(
      'Baseline unreadable: ECS service "web" in cluster "prod": task definition web:42 has 2 containers ("web", "envoy"); name one in "container"',
    );
    const named = await resolveBaseline(
      { ecsService: { cluster: "prod", service: "web", container: "envoy" } },
      signal,
    );
    expect(named.ref.repository).toBe("envoy");
    const missing = await failureOf(
      resolveBaseline({ ecsService: { cluster: "prod", service: "web", container: "api" } }, signal),
    );
    expect(missing.message).toContain('has no container "api"; it has "web", "envoy"');
  });

  it("fails, saying why, for a missing service or a non-ECR image", async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: "x", reason: "MISSING" }] });
    expect(
      (await failureOf(resolveBaseline({ ecsService: { cluster: "prod", service: "web" } }, signal))).message,
    ).toBe(
      'Baseline unreadable: ECS service "web" in cluster "prod": ECS says MISSING. Without the baseline the check cannot tell new findings from inherited ones.',
    );
    ecs
      .reset()
      .on(DescribeServicesCommand)
      .rejects(new ServiceNotFoundException({ message: "Service not found.", $metadata: {} }));
    expect(
      (await failureOf(resolveBaseline({ ecsService: { cluster: "prod", service: "web" } }, signal))).type,
    ).toBe("JobFailed");
    service();
    containers({ name: "web", image: "nginx:1.27" });
    expect(
      (await failureOf(resolveBaseline({ ecsService: { cluster: "prod", service: "web" } }, signal))).message,
    ).toContain("only ECR images can be a baseline");
  });

  it("reports access denied as a PermissionError naming the action", async () => {
    ecs
      .on(DescribeServicesCommand)
      .rejects(Object.assign(new Error("not allowed"), { name: "AccessDeniedException", $metadata: {} }));
    const error = await failureOf(
      resolveBaseline({ ecsService: { cluster: "prod", service: "web" } }, signal),
    );
    expect(error.type).toBe("PermissionError");
    expect(error.message).toContain('access denied calling ecs:DescribeServices for ECS service "web"');
  });
});

describe("baseline from a Lambda function", () => {
  it("takes the resolved (digest) image URI of a container-image function", async () => {
    lambda.on(GetFunctionCommand).resolves({
      Configuration: { PackageType: "Image" },
      Code: { ImageUri: `${REGISTRY}/api:prod`, ResolvedImageUri: `${REGISTRY}/api@${DIGEST}` },
    });
    const target = await resolveBaseline({ lambdaFunction: "api" }, signal);
    expect(target.ref).toMatchObject({ repository: "api", digest: DIGEST });
    expect(target.origin).toBe('Lambda function "api"');
  });

  it("fails for a zip-packaged function", async () => {
    lambda.on(GetFunctionCommand).resolves({ Configuration: { PackageType: "Zip" }, Code: {} });
    expect((await failureOf(resolveBaseline({ lambdaFunction: "api" }, signal))).message).toContain(
      'Baseline unreadable: Lambda function "api": it is not a container-image function',
    );
  });
});

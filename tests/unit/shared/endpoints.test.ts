import { DescribeImagesCommand, ECRClient } from "@aws-sdk/client-ecr";
import { afterEach, describe, expect, it, vi } from "vitest";
import { clientConfig, endpointOverridden } from "../../../shared/aws.js";

/**
 * template.yaml declares the endpoint variables with empty values so that `sam local invoke
 * --env-vars` can set them; deployed, they must behave as if they were not there.
 */

const hostOfFirstRequest = async (): Promise<string> => {
  let host = "";
  const client = new ECRClient({
    ...clientConfig(),
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { hostname: string; port?: number }) => {
        host = `${request.hostname}${request.port ? `:${request.port}` : ""}`;
        throw new Error("stop here");
      },
    },
  });
  await client.send(new DescribeImagesCommand({ repositoryName: "web" })).catch(() => undefined);
  return host;
};

describe("endpoint variables", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("an empty AWS_ENDPOINT_URL is unset: the SDK calls the real regional endpoint", async () => {
    vi.stubEnv("AWS_REGION", "eu-west-1");
    vi.stubEnv("AWS_ENDPOINT_URL", "");
    vi.stubEnv("AWS_ENDPOINT_URL_ECR", "");
    expect(await hostOfFirstRequest()).toBe("api.ecr.eu-west-1.amazonaws.com");
    expect(endpointOverridden("S3")).toBe(false);
  });

  it("a set AWS_ENDPOINT_URL is used (the local AWS)", async () => {
    vi.stubEnv("AWS_REGION", "eu-west-1");
    vi.stubEnv("AWS_ENDPOINT_URL", "http://127.0.0.1:5000");
    expect(await hostOfFirstRequest()).toBe("127.0.0.1:5000");
    expect(endpointOverridden("S3")).toBe(true);
  });
});

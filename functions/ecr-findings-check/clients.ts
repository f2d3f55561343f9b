/**
 * The SDK clients the ECR check uses, one per region (an image, a baseline or a base image can
 * live in another region), each built on first use: a configuration that never reads Inspector,
 * ECS or Lambda never builds those clients.
 */
import { ECRClient } from "@aws-sdk/client-ecr";
import { ECSClient } from "@aws-sdk/client-ecs";
import { Inspector2Client } from "@aws-sdk/client-inspector2";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { clientConfig } from "../../shared/index.js";

const perRegion = <T>(make: (region: string) => T): ((region: string) => T) => {
  const clients = new Map<string, T>();
  return (region) => {
    let client = clients.get(region);
    if (!client) {
      client = make(region);
      clients.set(region, client);
    }
    return client;
  };
};

export const ecrClient = perRegion((region) => new ECRClient({ ...clientConfig(), region }));
export const inspectorClient = perRegion((region) => new Inspector2Client({ ...clientConfig(), region }));
export const ecsClient = perRegion((region) => new ECSClient({ ...clientConfig(), region }));
export const lambdaClient = perRegion((region) => new LambdaClient({ ...clientConfig(), region }));

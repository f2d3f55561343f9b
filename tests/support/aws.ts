import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, inject } from "vitest";
import { type CodePipelineEndpoint, startCodePipelineEndpoint } from "../../local/codepipeline-endpoint.js";

/**
 * Points the SDK (ours and the bundles') at moto and at a local CodePipeline endpoint for this
 * test file, and returns them. SDK clients in the code under test are built lazily, so setting
 * the environment in beforeAll is early enough.
 */
export const useLocalAws = () => {
  const state = {} as { moto: string; codePipeline: CodePipelineEndpoint; s3: S3Client };
  beforeAll(async () => {
    state.moto = inject("motoEndpoint");
    state.codePipeline = await startCodePipelineEndpoint();
    Object.assign(process.env, {
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
      AWS_ENDPOINT_URL: state.moto,
      AWS_ENDPOINT_URL_CODEPIPELINE: state.codePipeline.endpoint,
    });
    state.s3 = new S3Client({ region: "us-east-1", endpoint: state.moto, forcePathStyle: true });
  });
  afterAll(async () => {
    await state.codePipeline?.stop();
  });
  return state;
};

let bucketCounter = 0;
/** Creates a uniquely named bucket in moto. */
export const createBucket = async (s3: S3Client, prefix = "artifacts"): Promise<string> => {
  const bucket = `${prefix}-${process.pid}-${Date.now()}-${bucketCounter++}`.toLowerCase();
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
};

export const putObject = async (s3: S3Client, bucket: string, key: string, body: Buffer | string) =>
  s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

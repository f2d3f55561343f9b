import { S3Client } from "@aws-sdk/client-s3";

/**
 * The rules read the region from AWS_REGION (always set in Lambda). On a laptop the region often
 * comes from the profile in ~/.aws/config instead: resolve it with the SDK's own provider chain
 * and hand it on through the environment. Without any, the rules' default applies.
 */
export const useStandardRegion = async (): Promise<void> => {
  if (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION) return;
  try {
    const region = await new S3Client({}).config.region();
    if (region) process.env.AWS_REGION = region;
  } catch {
    // No region configured anywhere: the rules fall back to us-east-1.
  }
};

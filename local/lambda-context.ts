import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";

/** A Lambda context with a real deadline, as the Lambda runtime passes to a handler. */
export const lambdaContext = (
  functionName: string,
  options: { timeoutMs?: number; requestId?: string } = {},
): Context => {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  const region = process.env.AWS_REGION ?? "us-east-1";
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${region}:123456789012:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: options.requestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${randomUUID()}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

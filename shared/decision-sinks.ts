import type { Logger } from "@aws-lambda-powertools/logger";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { clientConfig, endpointOverridden, lazy } from "./aws.js";
import { type DecisionRecord, type RecordSinks, recordKey, recordObject } from "./decision-record.js";
import { describeError, sdkErrorName } from "./errors.js";
import type { GateMetrics, RecordDestination } from "./metrics.js";

export const EVENT_SOURCE = "codepipeline-gates";
export const EVENT_DETAIL_TYPE = "Gate decision";
// The function's own role signs these: the job's artifact credentials are for its artifacts only.
const eventBridge = lazy(() => new EventBridgeClient(clientConfig()));
const s3 = lazy(() => new S3Client({ ...clientConfig(), forcePathStyle: endpointOverridden("S3") }));

export interface PublishOptions {
  /** Both puts are abandoned after this long (they run side by side). */
  budgetMs: number;
  logger: Logger;
  metrics: GateMetrics;
}

const putEvent = async (
  record: DecisionRecord,
  bus: string,
  client: EventBridgeClient,
  signal: AbortSignal,
) => {
  const response = await client.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: bus,
          Source: EVENT_SOURCE,
          DetailType: EVENT_DETAIL_TYPE,
          Detail: JSON.stringify(record),
          Time: new Date(record.decidedAt),
        },
      ],
    }),
    { abortSignal: signal },
  );
  // PutEvents answers 200 even when the entry was refused: the entry says why.
  const entry = response.Entries?.[0];
  if ((response.FailedEntryCount ?? 0) > 0 || entry?.ErrorCode) {
    throw Object.assign(new Error(entry?.ErrorMessage ?? "the event was not accepted"), {
      name: entry?.ErrorCode ?? "FailedEntry",
    });
  }
};

const putObject = async (
  record: DecisionRecord,
  text: string,
  sinks: RecordSinks,
  bucket: string,
  client: S3Client,
  signal: AbortSignal,
) => {
  await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: recordKey(sinks.prefix, record),
      Body: recordObject(record, text),
      ContentType: "application/json",
    }),
    { abortSignal: signal },
  );
};

/**
 * Settles with the put or when the signal fires, whichever comes first: a client that does not
 * honour the signal still cannot hold the invocation.
 */
const bounded = (put: () => Promise<void>, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    put()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener("abort", onAbort));
  });

/**
 * Puts the record to the bus and/or the bucket, side by side, within `budgetMs`. Never throws:
 * a record that could not be put is logged and counted (DecisionRecordErrors) and changes
 * nothing about the job's outcome. Returns where it could not be put.
 */
export const publishDecisionRecord = async (
  record: DecisionRecord,
  text: string,
  sinks: RecordSinks,
  options: PublishOptions,
): Promise<RecordDestination[]> => {
  const late = options.budgetMs < 1;
  const signal = late ? AbortSignal.abort() : AbortSignal.timeout(options.budgetMs);
  const puts: Array<[RecordDestination, () => Promise<void>]> = [];
  const { eventBus, bucket } = sinks;
  // Clients are made inside the put: even a failure to make one is only a record not put.
  if (eventBus) {
    puts.push(["EventBridge", () => putEvent(record, eventBus, eventBridge(), signal)]);
  }
  if (bucket) {
    puts.push(["S3", () => putObject(record, text, sinks, bucket, s3(), signal)]);
  }
  const settled = await Promise.allSettled(puts.map(([, put]) => bounded(put, signal)));
  const failed: RecordDestination[] = [];
  settled.forEach((result, i) => {
    const destination = puts[i]?.[0];
    if (result.status === "fulfilled" || !destination) return;
    failed.push(destination);
    options.metrics.recordFailed(destination);
    options.logger.error("Could not put the decision record", {
      destination,
      target: destination === "EventBridge" ? eventBus : `s3://${bucket}/${recordKey(sinks.prefix, record)}`,
      recordError: late
        ? "no time left before the function's timeout"
        : ["AbortError", "TimeoutError"].includes(sdkErrorName(result.reason) ?? "")
          ? `no answer within ${options.budgetMs} ms`
          : describeError(result.reason),
      recordErrorName: sdkErrorName(result.reason),
    });
  });
  return failed;
};

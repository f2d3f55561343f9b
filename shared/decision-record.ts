import { type Decision, type DecisionOutcome, failureTypeOf, outcomeOf, textOf } from "./decision.js";
import type { FailureType } from "./errors.js";
import type { CodePipelineJob } from "./job.js";
import type { Mode } from "./mode.js";
import type { ReportResult } from "./report.js";
import { wellFormed } from "./text.js";

/** The record's version: a consumer can tell a later shape from this one. */
export const RECORD_VERSION = 1;
/** The record keeps the first line of the text; a longer line is cut here. */
const MAX_FIRST_LINE_CHARS = 1000;

/** One decision, as put to EventBridge (the event's detail) and to S3 (with the whole text). */
export interface DecisionRecord {
  version: typeof RECORD_VERSION;
  rule: string;
  jobId: string;
  accountId?: string;
  /** When the rule decided (ISO 8601, UTC). */
  decidedAt: string;
  mode: Mode;
  outcome: DecisionOutcome;
  /** The failure type (also in warn mode, for what would have failed); absent on a pass. */
  failureType?: FailureType;
  /** The first line of the summary or failure message (with the next when it is a header ending in ":"). */
  message: string;
  /** The rule's key figures, e.g. { FindingsCounted: 3 }. */
  figures: Record<string, number>;
  /** Image references (with digest) the rule judged. */
  images?: string[];
  /** The job's input artifacts, where the rule read them from. */
  artifacts?: Array<{ name: string; location: string; revision?: string }>;
  /** Whether CodePipeline took the result. */
  reported: ReportResult;
  /** From the invocation's start to the reported result. */
  durationMs: number;
  /** The Lambda request id: the job's log lines carry it. */
  requestId?: string;
}

export interface DecisionRecordInput {
  rule: string;
  jobId: string;
  /** Undefined when the job event could not be read. */
  job: CodePipelineJob | undefined;
  decision: Decision;
  reported: ReportResult;
  decidedAt: Date;
  durationMs: number;
  requestId: string | undefined;
}

/** The first line; a header that ends in ":" ("Invalid UserParameters:") brings the line after it. */
const firstLine = (text: string): string => {
  const [head = "", next] = text.split("\n", 2);
  const line = head.endsWith(":") && next ? `${head} ${next.trim()}` : head;
  return wellFormed(
    line.length > MAX_FIRST_LINE_CHARS ? `${line.slice(0, MAX_FIRST_LINE_CHARS - 1)}…` : line,
  );
};

/** Pure: the record of one decision. */
export const decisionRecord = (input: DecisionRecordInput): DecisionRecord => {
  const { decision, job } = input;
  const failureType = failureTypeOf(decision.result);
  const artifacts = (job?.inputArtifacts ?? []).map((a) => ({
    name: a.name,
    location: `s3://${a.bucket}/${a.key}`,
    ...(a.revision ? { revision: a.revision } : {}),
  }));
  return {
    version: RECORD_VERSION,
    rule: input.rule,
    jobId: input.jobId,
    ...(job?.accountId ? { accountId: job.accountId } : {}),
    decidedAt: input.decidedAt.toISOString(),
    mode: decision.mode,
    outcome: outcomeOf(decision),
    ...(failureType ? { failureType } : {}),
    message: firstLine(textOf(decision.result)),
    figures: { ...decision.figures },
    ...(decision.images.length ? { images: [...decision.images] } : {}),
    ...(artifacts.length ? { artifacts } : {}),
    reported: input.reported,
    durationMs: input.durationMs,
    ...(input.requestId ? { requestId: input.requestId } : {}),
  };
};

/** The S3 object: the record and the whole text it came from. */
export const recordObject = (record: DecisionRecord, text: string): string =>
  JSON.stringify({ ...record, text: wellFormed(text) });

/** `<prefix>/YYYY/MM/DD/<jobId>.json`, by the decision's UTC date: one object per job. */
export const recordKey = (prefix: string, record: DecisionRecord): string => {
  const [date = ""] = record.decidedAt.split("T");
  const path = `${date.replaceAll("-", "/")}/${record.jobId}.json`;
  const trimmed = prefix.replace(/^\/+|\/+$/g, "");
  return trimmed ? `${trimmed}/${path}` : path;
};

export const DEFAULT_KEY_PREFIX = "gate-decisions";

/** Where decision records go, from the function's environment (set by the template's parameters). */
export interface RecordSinks {
  /** An EventBridge bus name or ARN (DECISION_EVENT_BUS). */
  eventBus: string | undefined;
  /** An S3 bucket name (DECISION_BUCKET). */
  bucket: string | undefined;
  /** The key prefix in the bucket (DECISION_KEY_PREFIX). */
  prefix: string;
}

const setting = (value: string | undefined): string | undefined => value?.trim() || undefined;

export const recordSinksFromEnv = (env: NodeJS.ProcessEnv = process.env): RecordSinks => ({
  eventBus: setting(env.DECISION_EVENT_BUS),
  bucket: setting(env.DECISION_BUCKET),
  prefix: setting(env.DECISION_KEY_PREFIX) ?? DEFAULT_KEY_PREFIX,
});

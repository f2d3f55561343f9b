import { type JsonReply, jsonErrorReply, startJsonStub } from "./json-stub.js";

/**
 * A local stand-in for CodePipeline's job-result API (moto does not implement it). It speaks
 * the AWS JSON 1.1 protocol for PutJobSuccessResult and PutJobFailureResult, records what it
 * was told, and can be made to fail the next calls (throttling, 500s, InvalidJobStateException).
 * For the local runner it also answers SSM GetCalendarState from a fixed table of change
 * calendars (moto has no GetCalendarState either): point AWS_ENDPOINT_URL_SSM at it.
 */

/** A change calendar's state as GetCalendarState reports it. */
export interface CalendarState {
  state: "OPEN" | "CLOSED";
  /** ISO 8601 time of the next change, if any. */
  nextTransitionTime?: string;
}

export interface RecordedResult {
  operation: "PutJobSuccessResult" | "PutJobFailureResult";
  jobId: string;
  /** The request body as sent. */
  body: Record<string, unknown>;
  /** The Authorization header was present (the SDK signed the call). */
  signed: boolean;
}

export type InjectedFault =
  | "throttle"
  | "server-error"
  | "invalid-job-state"
  | "job-not-found"
  | { delayMs: number };

export interface CodePipelineEndpoint {
  endpoint: string;
  /** Every accepted result, in order. Calls answered with an injected fault are not recorded here. */
  results: RecordedResult[];
  /** Every call received, including those answered with a fault. */
  calls: number;
  /** Answers the next calls with these faults, one each, then behaves normally. */
  injectFaults(...faults: InjectedFault[]): void;
  /** Answers every call with this fault until cleared (undefined). */
  failAlways(fault: InjectedFault | undefined): void;
  /** Results for one job id. */
  resultsFor(jobId: string): RecordedResult[];
  /** Waits until a result for the job id arrives. */
  waitFor(jobId: string, timeoutMs?: number): Promise<RecordedResult>;
  reset(): void;
  stop(): Promise<void>;
}

const answerCalendarState = (
  body: Record<string, unknown>,
  calendars: Record<string, CalendarState>,
): JsonReply => {
  const names = (body.CalendarNames as string[] | undefined) ?? [];
  const states = names.map((name) => calendars[name.split("/").at(-1) ?? name]);
  const missing = names.find((_, i) => states[i] === undefined);
  if (missing !== undefined)
    return jsonErrorReply(400, "InvalidDocument", `Calendar ${missing} does not exist`);
  const closed = states.find((s) => s?.state === "CLOSED");
  const state = closed ?? states[0];
  return {
    status: 200,
    payload: {
      State: closed ? "CLOSED" : "OPEN",
      AtTime: new Date().toISOString(),
      ...(state?.nextTransitionTime ? { NextTransitionTime: state.nextTransitionTime } : {}),
    },
  };
};

const OPERATIONS = new Set(["PutJobSuccessResult", "PutJobFailureResult"]);

const FAULTS: Record<Exclude<InjectedFault, { delayMs: number }>, [number, string, string]> = {
  throttle: [400, "ThrottlingException", "Rate exceeded"],
  "server-error": [500, "InternalFailure", "Injected server error"],
  "invalid-job-state": [400, "InvalidJobStateException", "The job is not in a state to accept a result"],
  "job-not-found": [400, "JobNotFoundException", "The job was not found"],
};

export interface CodePipelineEndpointOptions {
  port?: number;
  calendars?: Record<string, CalendarState>;
  /**
   * Accept a new result for a job that already has one (a long-running local AWS, where the
   * sample events are invoked again and again with their fixed job ids). Off by default: like
   * CodePipeline, a second result is an InvalidJobStateException.
   */
  repeatableJobs?: boolean;
  /** Called with every accepted result. */
  onResult?: (result: RecordedResult) => void;
}

export const startCodePipelineEndpoint = async (
  options: CodePipelineEndpointOptions = {},
): Promise<CodePipelineEndpoint> => {
  const calendars = options.calendars ?? {};
  const results: RecordedResult[] = [];
  const queued: InjectedFault[] = [];
  let always: InjectedFault | undefined;
  const waiters: Array<{ jobId: string; resolve: (r: RecordedResult) => void }> = [];
  const state = { calls: 0 };
  const completedJobs = new Set<string>();

  const stub = await startJsonStub(
    async (request) => {
      if (request.target === "AmazonSSM.GetCalendarState") {
        return answerCalendarState(request.body ?? {}, calendars);
      }
      const { operation } = request;
      if (
        request.method !== "POST" ||
        !request.target.startsWith("CodePipeline_20150709.") ||
        !OPERATIONS.has(operation)
      ) {
        return jsonErrorReply(
          400,
          "UnknownOperationException",
          `Unsupported: ${request.target || request.url}`,
        );
      }
      state.calls += 1;
      const fault = queued.shift() ?? always;
      if (fault !== undefined) {
        if (typeof fault === "object") {
          await new Promise((r) => setTimeout(r, fault.delayMs));
        } else {
          const [status, type, message] = FAULTS[fault];
          return jsonErrorReply(status, type, message);
        }
      }
      const parsed = request.body;
      if (!parsed) return jsonErrorReply(400, "SerializationException", "Body is not JSON");
      const jobId = parsed.jobId;
      if (typeof jobId !== "string" || jobId.length === 0) {
        return jsonErrorReply(400, "ValidationException", "jobId is required");
      }
      // Like CodePipeline: a job takes one result; a second is an InvalidJobStateException.
      if (completedJobs.has(jobId) && !options.repeatableJobs) {
        return jsonErrorReply(400, "InvalidJobStateException", `Job ${jobId} already has a result`);
      }
      completedJobs.add(jobId);
      const recorded: RecordedResult = {
        operation: operation as RecordedResult["operation"],
        jobId,
        body: parsed,
        signed: request.signed,
      };
      results.push(recorded);
      options.onResult?.(recorded);
      for (let i = waiters.length - 1; i >= 0; i--) {
        const waiter = waiters[i];
        if (waiter?.jobId === jobId) {
          waiters.splice(i, 1);
          waiter.resolve(recorded);
        }
      }
      return { status: 200, payload: {} };
    },
    options.port !== undefined ? { port: options.port } : {},
  );

  return {
    endpoint: stub.endpoint,
    results,
    get calls() {
      return state.calls;
    },
    injectFaults: (...faults) => {
      queued.push(...faults);
    },
    failAlways: (fault) => {
      always = fault;
    },
    resultsFor: (jobId) => results.filter((r) => r.jobId === jobId),
    waitFor: (jobId, timeoutMs = 10_000) => {
      const existing = results.find((r) => r.jobId === jobId);
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no result for job ${jobId} in ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          jobId,
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
        });
      });
    },
    reset: () => {
      results.length = 0;
      queued.length = 0;
      always = undefined;
      state.calls = 0;
      completedJobs.clear();
    },
    stop: () => stub.stop(),
  };
};

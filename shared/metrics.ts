import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { type Decision, type DecisionOutcome, failureTypeOf, outcomeOf } from "./decision.js";

export const METRICS_NAMESPACE = "CodePipelineGates";

/** The count each outcome adds to: 1 for the decision's own, 0 for the others (Average is a rate). */
const OUTCOME_METRICS: Record<DecisionOutcome, string> = {
  passed: "Passed",
  failed: "Failed",
  "would-have-failed": "WouldHaveFailed",
  error: "Errors",
};

/** Where decision records go; a failed put counts under this dimension. */
export type RecordDestination = "EventBridge" | "S3";

export interface GateMetrics {
  /** Adds one decision's counts, its duration and the rule's figures (all or, on a throw, none); `flush` emits them. */
  decision(decision: Decision, durationMs: number): void;
  /** Counts a decision record that could not be put (emitted at once). */
  recordFailed(destination: RecordDestination): void;
  /** Writes what was added as one EMF line on stdout. */
  flush(): void;
}

/**
 * CloudWatch metrics in Embedded Metric Format (Powertools Metrics), namespace
 * CodePipelineGates, with exactly one dimension, Rule (Powertools' default `service` dimension
 * is dropped, so an alarm names one dimension); Errors also per FailureType.
 */
export const createMetrics = (rule: string): GateMetrics => {
  const withRuleOnly = (metrics: Metrics): Metrics => {
    metrics.clearDefaultDimensions();
    metrics.setDefaultDimensions({ Rule: rule });
    return metrics;
  };
  const metrics = withRuleOnly(new Metrics({ namespace: METRICS_NAMESPACE, serviceName: rule }));
  /** A metric with one more dimension goes out on its own line (EMF gives a line one dimension set). */
  const single = (dimension: string, value: string, name: string) => {
    const line = withRuleOnly(metrics.singleMetric());
    line.addDimension(dimension, value);
    line.addMetric(name, MetricUnit.Count, 1);
  };

  return {
    decision: (decision, durationMs) => {
      const outcome = outcomeOf(decision);
      try {
        for (const [key, name] of Object.entries(OUTCOME_METRICS)) {
          metrics.addMetric(name, MetricUnit.Count, key === outcome ? 1 : 0);
        }
        metrics.addMetric("DurationMs", MetricUnit.Milliseconds, durationMs);
        for (const [name, value] of Object.entries(decision.figures)) {
          metrics.addMetric(name, MetricUnit.Count, value);
        }
      } catch (error) {
        // All or nothing: half a decision left in the store would be added to the next one's line.
        metrics.clearMetrics();
        throw error;
      }
      const type = failureTypeOf(decision.result);
      if (outcome === "error" && type) single("FailureType", type, "Errors");
    },
    recordFailed: (destination) => single("Destination", destination, "DecisionRecordErrors"),
    flush: () => {
      metrics.publishStoredMetrics();
    },
  };
};

import { expect } from "vitest";
import type { evaluate } from "../../../functions/ecr-findings-check/evaluate.js";
import type { Finding, Severity } from "../../../functions/ecr-findings-check/findings.js";
import type { ImageCheck, ScanOutcome } from "../../../functions/ecr-findings-check/image-check.js";
import { paramsSchema } from "../../../functions/ecr-findings-check/params.js";

/** Inputs for the pure evaluate, shared by its test files. */
export const NOW = new Date("2025-06-15T12:00:00Z");
export const DIGEST = `sha256:abcd${"0".repeat(60)}`;
export const params = (value: Record<string, unknown> = {}) => paramsSchema.parse(value);
export const finding = (id: string, severity: Severity, extra: Partial<Finding> = {}): Finding => ({
  id,
  severity,
  packages: [{ name: "openssl", version: "3.0.1" }],
  source: "basic",
  ...extra,
});
export const scanned = (
  findings: Finding[],
  extra: Partial<Extract<ScanOutcome, { kind: "scanned" }>> = {},
): ScanOutcome => ({
  kind: "scanned",
  scanType: "basic",
  status: "COMPLETE",
  completedAt: new Date("2025-06-15T11:00:00Z"),
  findings,
  ...extra,
});
export const image = (
  scan: ScanOutcome,
  repository = "web",
  origin = "UserParameters.image",
): ImageCheck => ({
  ref: { repository, tag: "v1", digest: DIGEST, registryId: "123456789012", region: "us-east-1" },
  origin,
  scan,
});
export const failure = (verdict: ReturnType<typeof evaluate>): string => {
  if (verdict.pass) throw new Error(`expected a failure, got: ${verdict.summary}`);
  expect(verdict.type ?? "JobFailed").toBe("JobFailed");
  return verdict.message;
};
export const success = (verdict: ReturnType<typeof evaluate>): string => {
  if (!verdict.pass) throw new Error(`expected a pass, got: ${verdict.message}`);
  return verdict.summary;
};

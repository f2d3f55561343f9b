import type { Finding } from "./findings.js";
import type { ImageRef } from "./image-ref.js";

/** What ECR said about one image's scan, after waiting and reading every page. */
export type ScanOutcome =
  | {
      kind: "scanned";
      scanType: "basic" | "enhanced";
      /** COMPLETE (basic) or ACTIVE (enhanced). */
      status: string;
      completedAt?: Date | undefined;
      findings: Finding[];
      /** Set when minEpss asked for EPSS: read from Amazon Inspector, or why there is none. */
      epss?: { read: true; pages: number } | { read: false; reason: string } | undefined;
    }
  /** FAILED, UNSUPPORTED_IMAGE, …: no usable findings. Fails closed. */
  | { kind: "unusable"; status: string; description?: string | undefined }
  /** Still PENDING / IN_PROGRESS when we stopped waiting. */
  | {
      kind: "still-scanning";
      status: string;
      waitedSeconds: number;
      /** True when the Lambda's remaining time, not waitForScanSeconds, cut the wait short. */
      stoppedForDeadline: boolean;
      description?: string | undefined;
    }
  /**
   * The registry's scanning configuration does not cover the repository, so no scan will come:
   * basic scanning without scan on push and no scan started, or enhanced scanning whose filters
   * do not match. `status` is ECR's (PENDING) when it reported one.
   */
  | { kind: "not-covered"; scanType: "BASIC" | "ENHANCED"; status?: string | undefined }
  /** ScanNotFoundException: the image was never scanned. */
  | { kind: "no-scan" }
  | { kind: "not-found"; what: "repository" | "image"; detail: string };

export interface ImageCheck {
  /** The image as checked: with its digest once resolved. */
  ref: ImageRef;
  /** Where the image came from, e.g. UserParameters.image or container "web" in imagedefinitions.json. */
  origin: string;
  scan: ScanOutcome;
}

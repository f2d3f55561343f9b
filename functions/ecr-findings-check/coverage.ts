/**
 * Will a scan ever come for this repository? Read from the registry's scanning configuration when
 * an image has no scan, or a pending one, so the check can fail at once instead of waiting out
 * waitForScanSeconds for a scan that never starts.
 */
import {
  BatchGetRepositoryScanningConfigurationCommand,
  type ECRClient,
  GetRegistryScanningConfigurationCommand,
} from "@aws-sdk/client-ecr";
import { describeError } from "../../shared/index.js";
import type { ImageRef } from "./image-ref.js";

export type Coverage =
  /** The repository is scanned on push or continuously: a scan will come. */
  | { kind: "scanned"; scanType: string; frequency: string }
  /** The repository is not covered by the registry's scanning configuration. */
  | { kind: "not-covered"; scanType: "BASIC" | "ENHANCED" }
  /** The configuration could not be read (not allowed, another account's registry): no conclusion. */
  | { kind: "unknown"; why: string };

const AUTOMATIC = new Set(["SCAN_ON_PUSH", "CONTINUOUS_SCAN"]);

/**
 * The registry's scan type and the repository's scanning configuration. Both calls read the
 * caller's own registry only, so an image in another account's registry is "unknown"; so is any
 * error (access denied included): not being able to read the configuration never fails the check.
 */
export const readCoverage = async (
  client: ECRClient,
  ref: ImageRef,
  signal: AbortSignal,
): Promise<Coverage> => {
  try {
    const registry = await client.send(new GetRegistryScanningConfigurationCommand({}), {
      abortSignal: signal,
    });
    if (!registry?.scanningConfiguration)
      return { kind: "unknown", why: "no registry scanning configuration" };
    if (registry.registryId && ref.registryId && registry.registryId !== ref.registryId) {
      return { kind: "unknown", why: `registry ${ref.registryId} is not this account's` };
    }
    const scanType = registry.scanningConfiguration.scanType === "ENHANCED" ? "ENHANCED" : "BASIC";
    const repository = await client.send(
      new BatchGetRepositoryScanningConfigurationCommand({ repositoryNames: [ref.repository] }),
      { abortSignal: signal },
    );
    const config = repository?.scanningConfigurations?.find((c) => c.repositoryName === ref.repository);
    if (!config) return { kind: "unknown", why: "no scanning configuration for the repository" };
    const frequency = config.scanFrequency ?? "MANUAL";
    if (AUTOMATIC.has(frequency) || (scanType === "BASIC" && config.scanOnPush)) {
      return { kind: "scanned", scanType, frequency: config.scanOnPush ? "SCAN_ON_PUSH" : frequency };
    }
    return { kind: "not-covered", scanType };
  } catch (error) {
    if (signal.aborted) throw error;
    return { kind: "unknown", why: describeError(error) };
  }
};

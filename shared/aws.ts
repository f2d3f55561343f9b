/**
 * The one place SDK clients get their settings, so every client shares the same region
 * resolution, retry policy and time-outs.
 */

/** Creates a value on first use and keeps it: SDK clients live at module scope, built lazily. */
export const lazy = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
};

export const awsRegion = (): string =>
  process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";

/** True when the standard SDK endpoint environment points a service somewhere else (moto, LocalStack). */
export const endpointOverridden = (serviceEnvSuffix?: string): boolean =>
  Boolean(
    process.env.AWS_ENDPOINT_URL || (serviceEnvSuffix && process.env[`AWS_ENDPOINT_URL_${serviceEnvSuffix}`]),
  );

/**
 * The retry policy: the SDK's standard strategy (exponential backoff with jitter on throttling,
 * 5xx and transient network errors), four attempts, and socket time-outs so that a dead
 * endpoint cannot eat the Lambda's time.
 */
export const clientConfig = () => ({
  region: awsRegion(),
  maxAttempts: 4,
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 15_000 },
});

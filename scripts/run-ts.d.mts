/** Bundles `entry` to `outfile` unless every source it was made of is older; returns the absolute path. */
export declare const bundleIfStale: (
  entry: string,
  outfile: string,
  options?: { bundlePackages?: boolean },
) => Promise<string>;

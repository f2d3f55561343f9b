import type { TestProject } from "vitest/node";
import { startMoto } from "../../local/moto.js";
import { buildRunner } from "../../local/run-bundle.js";

/**
 * One moto_server for the whole run; test files keep to their own buckets and repositories. The
 * Lambda runner is bundled here, once, before test files run bundles in parallel with it.
 */
export default async function setup(project: TestProject) {
  await buildRunner();
  const moto = await startMoto();
  project.provide("motoEndpoint", moto.endpoint);
  return async () => moto.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}

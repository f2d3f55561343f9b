import type { TestProject } from "vitest/node";
import { startMoto } from "../../local/moto.js";

/** One moto_server for the whole run; test files keep to their own buckets and repositories. */
export default async function setup(project: TestProject) {
  const moto = await startMoto();
  project.provide("motoEndpoint", moto.endpoint);
  return async () => moto.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}

import { defineRule } from "../../shared/index.js";
import { evaluate } from "./evaluate.js";
import { load } from "./load.js";
import { paramsSchema } from "./params.js";

/** Fails the stage when the image about to ship has ECR scan findings over the policy. */
export const handler = defineRule({ name: "ecr-findings-check", params: paramsSchema, load, evaluate });

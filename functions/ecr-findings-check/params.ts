import * as z from "zod";
import { unknownKeysMessage } from "../../shared/index.js";
import { SEVERITIES } from "./findings.js";
import {
  DIGEST_PATTERN,
  type ImageRef,
  parseImageUri,
  REGISTRY_ID_PATTERN,
  REPOSITORY_PATTERN,
  TAG_PATTERN,
} from "./image-ref.js";

const upperCase = (value: unknown) => (typeof value === "string" ? value.trim().toUpperCase() : value);

/** `failOnSeverity`: a severity, or NONE to fail on budgets only. Case-insensitive. */
export const FAIL_ON_VALUES = [...SEVERITIES, "NONE"] as const;
export type FailOn = (typeof FAIL_ON_VALUES)[number];

const count = z.int().min(0);

/** Per-severity budgets; unknown severities are unknown keys. */
const budgets = z.strictObject({
  CRITICAL: count.optional(),
  HIGH: count.optional(),
  MEDIUM: count.optional(),
  LOW: count.optional(),
  INFORMATIONAL: count.optional(),
  UNDEFINED: count.optional(),
});

const isCalendarDate = (value: string): boolean => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

const ignoreEntry = z.strictObject({
  id: z.string().trim().min(1),
  package: z.string().trim().min(1).optional(),
  reason: z.string().trim().min(1, "a reason is required: say why this finding is accepted"),
  expires: z
    .string()
    .refine(isCalendarDate, { message: "expected a date YYYY-MM-DD (the last day the exception applies)" })
    .optional(),
});
export type IgnoreEntry = z.output<typeof ignoreEntry>;

const IMAGE_KEYS = ["repository", "tag", "digest", "registryId", "region"];
const IMAGE_EXAMPLE =
  'expected an ECR image URI ("123456789012.dkr.ecr.us-east-1.amazonaws.com/my-repo:tag") or ' +
  '{"repository": "my-repo", "tag": "v1"} / {"repository": "my-repo", "digest": "sha256:…"}';

/** `image`: a URI or {repository, tag | digest, registryId?, region?}; issues name the key path. */
const imageParam = z.unknown().transform((value, ctx): ImageRef => {
  const fail = (message: string, path: PropertyKey[] = []) => {
    ctx.addIssue({ code: "custom", message, path, input: value });
    return z.NEVER;
  };
  if (typeof value === "string") {
    const parsed = parseImageUri(value);
    return parsed.ok ? parsed.ref : fail(parsed.message);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail(`${IMAGE_EXAMPLE}; got ${Array.isArray(value) ? "an array" : JSON.stringify(value)}`);
  }
  const object = value as Record<string, unknown>;
  const unknownKeys = Object.keys(object).filter((k) => !IMAGE_KEYS.includes(k));
  if (unknownKeys.length) {
    return fail(unknownKeysMessage(unknownKeys, IMAGE_KEYS));
  }
  const checks: Array<[string, RegExp, string]> = [
    ["repository", REPOSITORY_PATTERN, "an ECR repository name such as my-repo or team/my-repo"],
    ["tag", TAG_PATTERN, "an image tag"],
    ["digest", DIGEST_PATTERN, "sha256: and 64 lower-case hex digits"],
    ["registryId", REGISTRY_ID_PATTERN, "a 12-digit AWS account id"],
    ["region", /^[a-z]{2}(?:-[a-z]+)+-\d$/, "an AWS region such as us-east-1"],
  ];
  for (const [key, pattern, expected] of checks) {
    const field = object[key];
    if (field === undefined) continue;
    if (typeof field !== "string" || !pattern.test(field)) {
      return fail(`expected ${expected}; got ${JSON.stringify(field)}`, [key]);
    }
  }
  if (object.repository === undefined) return fail(`"repository" is required; ${IMAGE_EXAMPLE}`);
  if ((object.tag === undefined) === (object.digest === undefined)) {
    return fail('give exactly one of "tag" or "digest"');
  }
  return object as unknown as ImageRef;
});

/** A Lambda function name or ARN, or an ECS cluster/service name or ARN. */
const resourceName = z.string().trim().min(1);

/**
 * `baseline`: what runs in production now, whose findings are "inherited": exactly one of an
 * image, an ECS service (its current task definition's image) or a container-image Lambda.
 */
const baselineParam = z
  .strictObject({
    image: imageParam.optional(),
    ecsService: z
      .strictObject({
        cluster: resourceName,
        service: resourceName,
        container: resourceName.optional(),
      })
      .optional(),
    lambdaFunction: resourceName.optional(),
  })
  .superRefine((value, ctx) => {
    const given = (["image", "ecsService", "lambdaFunction"] as const).filter((k) => value[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message: `give exactly one of "image", "ecsService" or "lambdaFunction"; got ${
          given.length ? given.map((k) => `"${k}"`).join(" and ") : "none"
        }`,
      });
    }
  });
export type BaselineParam = z.output<typeof baselineParam>;

export const paramsSchema = z
  .strictObject({
    image: imageParam.optional(),
    inputArtifact: z.string().min(1).optional(),
    imageFile: z.string().min(1).optional(),
    containers: z.array(z.string().min(1)).min(1).optional(),
    failOnSeverity: z.preprocess(upperCase, z.enum(FAIL_ON_VALUES)).default("CRITICAL"),
    maxFindings: budgets.optional(),
    onlyFixable: z.boolean().default(false),
    onlyExploitable: z.boolean().default(false),
    minScore: z.number().min(0).max(10).optional(),
    minEpss: z.number().min(0).max(1).optional(),
    ignore: z.array(ignoreEntry).default([]),
    baseline: baselineParam.optional(),
    baseImage: imageParam.optional(),
    countBaseImageFindings: z.boolean().default(true),
    maxInherited: budgets.optional(),
    waitForScanSeconds: z.int().min(0).max(900).default(60),
    maxScanAgeDays: z.number().positive().optional(),
  })
  .superRefine((params, ctx) => {
    if (params.maxInherited !== undefined && params.baseline === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["maxInherited"],
        message: 'budgets for inherited findings need a "baseline" to tell new from inherited',
      });
    }
    if (!params.countBaseImageFindings && params.baseImage === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["countBaseImageFindings"],
        message: 'leaving out base-image findings needs "baseImage" to know its layers',
      });
    }
    if (params.image === undefined) return;
    for (const key of ["inputArtifact", "imageFile", "containers"] as const) {
      if (params[key] !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `"${key}" picks the image from the input artifact, but "image" already names it; give one or the other`,
        });
      }
    }
  });

export type Params = z.output<typeof paramsSchema>;
export type Budgets = z.output<typeof budgets>;

import { describe, expect, it } from "vitest";
import { paramsSchema } from "../../../functions/ecr-findings-check/params.js";
import { RuleError } from "../../../shared/errors.js";
import { parseUserParameters } from "../../../shared/params.js";

const parse = (value: unknown) => parseUserParameters(JSON.stringify(value), paramsSchema);
const problem = (value: unknown): string => {
  try {
    parse(value);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleError);
    expect((error as RuleError).type).toBe("ConfigurationError");
    return (error as RuleError).message;
  }
  throw new Error("expected a ConfigurationError");
};
const DIGEST = `sha256:${"0".repeat(64)}`;

describe("UserParameters defaults", () => {
  it("defaults to failing on CRITICAL, waiting 60s, no exceptions", () => {
    expect(parseUserParameters(undefined, paramsSchema)).toEqual({
      failOnSeverity: "CRITICAL",
      onlyFixable: false,
      onlyExploitable: false,
      countBaseImageFindings: true,
      ignore: [],
      waitForScanSeconds: 60,
    });
  });
});

describe("image", () => {
  it("takes a URI", () => {
    expect(parse({ image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1" }).image).toEqual({
      repository: "web",
      tag: "v1",
      registryId: "123456789012",
      region: "us-east-1",
    });
  });

  it("takes an object with a tag or a digest", () => {
    expect(parse({ image: { repository: "web", tag: "v1" } }).image).toEqual({
      repository: "web",
      tag: "v1",
    });
    expect(
      parse({
        image: { repository: "team/web", digest: DIGEST, registryId: "210987654321", region: "eu-west-1" },
      }).image,
    ).toEqual({ repository: "team/web", digest: DIGEST, registryId: "210987654321", region: "eu-west-1" });
  });

  it("explains a bad URI", () => {
    expect(problem({ image: "nginx:latest" })).toBe(
      'Invalid UserParameters:\nimage: "nginx:latest" is not an ECR image URI; expected an ECR image URI such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/my-repo:tag or …/my-repo@sha256:<digest>',
    );
  });

  it("names the key of a bad object field", () => {
    expect(problem({ image: { repository: "web", digest: "sha256:abc" } })).toContain(
      'image.digest: expected sha256: and 64 lower-case hex digits; got "sha256:abc"',
    );
    expect(problem({ image: { repository: "web", tag: "v1", registryId: "123" } })).toContain(
      "image.registryId: expected a 12-digit AWS account id",
    );
  });

  it("needs exactly one of tag or digest, and the repository", () => {
    expect(problem({ image: { repository: "web" } })).toContain('give exactly one of "tag" or "digest"');
    expect(problem({ image: { repository: "web", tag: "v1", digest: DIGEST } })).toContain(
      'give exactly one of "tag" or "digest"',
    );
    expect(problem({ image: { tag: "v1" } })).toContain('"repository" is required');
  });

  it("rejects unknown keys in the object and other types", () => {
    expect(problem({ image: { repository: "web", tag: "v1", repo: "x" } })).toContain(
      'image: unknown key "repo"; allowed: repository, tag, digest, registryId, region',
    );
    expect(problem({ image: 42 })).toContain("image: expected an ECR image URI");
    expect(problem({ image: ["a"] })).toContain("got an array");
  });

  it("is an alternative to the artifact keys", () => {
    const message = problem({
      image: { repository: "web", tag: "v1" },
      imageFile: "x.json",
      containers: ["web"],
    });
    expect(message).toContain('imageFile: "imageFile" picks the image from the input artifact');
    expect(message).toContain("containers:");
  });
});

describe("policy keys", () => {
  it("accepts every key", () => {
    expect(
      parse({
        imageFile: "build/imagedefinitions.json",
        inputArtifact: "BuildArtifact",
        containers: ["web", "worker"],
        failOnSeverity: "high",
        maxFindings: { HIGH: 5, MEDIUM: 50, CRITICAL: 0 },
        onlyFixable: true,
        minScore: 7,
        ignore: [{ id: "CVE-2024-1", package: "openssl", reason: "not reachable", expires: "2030-12-31" }],
        waitForScanSeconds: 0,
        maxScanAgeDays: 7,
      }),
    ).toMatchObject({
      failOnSeverity: "HIGH",
      maxFindings: { HIGH: 5, MEDIUM: 50, CRITICAL: 0 },
      minScore: 7,
    });
  });

  it("takes NONE as a threshold", () => {
    expect(parse({ failOnSeverity: "NONE" }).failOnSeverity).toBe("NONE");
  });

  it("rejects an unknown severity", () => {
    expect(problem({ failOnSeverity: "SEVERE" })).toBe(
      'Invalid UserParameters:\nfailOnSeverity: expected one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED, NONE; got "SEVERE"',
    );
  });

  it("rejects unknown severities and bad counts in maxFindings", () => {
    expect(problem({ maxFindings: { SEVERE: 1 } })).toContain(
      'maxFindings: unknown key "SEVERE"; allowed: CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED',
    );
    expect(problem({ maxFindings: { HIGH: -1 } })).toContain("maxFindings.HIGH:");
    expect(problem({ maxFindings: { HIGH: 1.5 } })).toContain("maxFindings.HIGH: expected int");
  });

  it("checks minScore, onlyFixable, waitForScanSeconds and maxScanAgeDays", () => {
    expect(problem({ minScore: 11 })).toContain("minScore:");
    expect(problem({ onlyFixable: "yes" })).toContain('onlyFixable: expected boolean; got "yes"');
    expect(problem({ waitForScanSeconds: 901 })).toContain("waitForScanSeconds:");
    expect(problem({ waitForScanSeconds: -1 })).toContain("waitForScanSeconds:");
    expect(problem({ maxScanAgeDays: 0 })).toContain("maxScanAgeDays:");
  });

  it("takes exactly one baseline source, and maxInherited only with a baseline", () => {
    expect(parse({ baseline: { lambdaFunction: "api" }, maxInherited: { CRITICAL: 3 } })).toMatchObject({
      baseline: { lambdaFunction: "api" },
      maxInherited: { CRITICAL: 3 },
    });
    expect(
      parse({ baseline: { image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:prod" } }).baseline,
    ).toEqual({
      image: { repository: "web", tag: "prod", registryId: "123456789012", region: "us-east-1" },
    });
    expect(problem({ baseline: {} })).toContain(
      'baseline: give exactly one of "image", "ecsService" or "lambdaFunction"; got none',
    );
    expect(problem({ baseline: { lambdaFunction: "a", image: { repository: "web", tag: "v1" } } })).toContain(
      'got "image" and "lambdaFunction"',
    );
    expect(problem({ baseline: { ecsService: { cluster: "prod" } } })).toContain(
      "baseline.ecsService.service: expected string",
    );
    expect(problem({ baseline: { task: "x" } })).toContain(
      'baseline: unknown key "task"; allowed: image, ecsService, lambdaFunction',
    );
    expect(problem({ maxInherited: { HIGH: 1 } })).toContain(
      'maxInherited: budgets for inherited findings need a "baseline"',
    );
  });

  it("takes baseImage as an image, and countBaseImageFindings: false only with it", () => {
    expect(
      parse({
        baseImage: "123456789012.dkr.ecr.us-east-1.amazonaws.com/base/node:22",
        countBaseImageFindings: false,
      }),
    ).toMatchObject({ baseImage: { repository: "base/node", tag: "22" }, countBaseImageFindings: false });
    expect(problem({ baseImage: "node:22" })).toContain('baseImage: "node:22" is not an ECR image URI');
    expect(problem({ countBaseImageFindings: false })).toContain(
      'countBaseImageFindings: leaving out base-image findings needs "baseImage"',
    );
  });

  it("checks onlyExploitable and minEpss (a probability, 0–1)", () => {
    expect(parse({ onlyExploitable: true, minEpss: 0.1 })).toMatchObject({
      onlyExploitable: true,
      minEpss: 0.1,
    });
    expect(problem({ onlyExploitable: "YES" })).toContain('onlyExploitable: expected boolean; got "YES"');
    expect(problem({ minEpss: 10 })).toContain("minEpss: expected number to be <=1; got 10");
    expect(problem({ minEpss: -0.1 })).toContain("minEpss:");
  });

  it("requires a reason on every exception and a real date for expires", () => {
    expect(problem({ ignore: [{ id: "CVE-1" }] })).toContain("ignore[0].reason: expected string");
    expect(problem({ ignore: [{ id: "CVE-1", reason: " " }] })).toContain(
      "ignore[0].reason: a reason is required",
    );
    expect(problem({ ignore: [{ id: "CVE-1", reason: "r", expires: "2025-02-30" }] })).toContain(
      "ignore[0].expires: expected a date YYYY-MM-DD",
    );
    expect(problem({ ignore: [{ id: "CVE-1", reason: "r", expires: "31/12/2025" }] })).toContain(
      "ignore[0].expires: expected a date YYYY-MM-DD",
    );
    expect(problem({ ignore: [{ id: "CVE-1", reason: "r", until: "2025-01-01" }] })).toContain(
      'ignore[0]: unknown key "until"; allowed: id, package, reason, expires',
    );
  });

  it("rejects unknown top-level keys, naming the allowed ones", () => {
    expect(problem({ severity: "HIGH" })).toContain(
      'UserParameters: unknown key "severity"; allowed: image,',
    );
  });
});

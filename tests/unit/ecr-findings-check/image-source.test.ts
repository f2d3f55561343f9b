import { describe, expect, it } from "vitest";
import { imagesFromFile } from "../../../functions/ecr-findings-check/image-source.js";
import { RuleError } from "../../../shared/errors.js";

const DIGEST = `sha256:${"1".repeat(64)}`;
const HOST = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
const where = 'input artifact "BuildArtifact"';
const errorOf = (run: () => unknown): RuleError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RuleError);
    return error as RuleError;
  }
  throw new Error("expected a RuleError");
};

describe("imageDetail.json", () => {
  it("reads the ECR source action's output, keeping the first tag for messages", () => {
    const content = JSON.stringify({
      ImageSizeInBytes: "44728918",
      ImageDigest: DIGEST,
      Version: "1.0",
      ImagePushedAt: "Mon Jan 21 20:04:00 UTC 2019",
      RegistryId: "123456789012",
      RepositoryName: "web",
      ImageURI: `${HOST}/web@${DIGEST}`,
      ImageTags: ["v1", "latest"],
    });
    expect(imagesFromFile("imageDetail.json", content, where, undefined)).toEqual([
      {
        ref: {
          repository: "web",
          digest: DIGEST,
          tag: "v1",
          registryId: "123456789012",
          region: "us-east-1",
        },
        origin: 'imageDetail.json in input artifact "BuildArtifact"',
      },
    ]);
  });

  it("reads the blue/green {ImageURI} form with a tag", () => {
    expect(
      imagesFromFile("imageDetail.json", `{"ImageURI": "${HOST}/web:v2"}`, where, undefined)[0]?.ref,
    ).toEqual({
      repository: "web",
      tag: "v2",
      registryId: "123456789012",
      region: "us-east-1",
    });
  });

  it("falls back to RepositoryName + ImageDigest", () => {
    const ref = imagesFromFile(
      "imageDetail.json",
      JSON.stringify({ RepositoryName: "web", ImageDigest: DIGEST }),
      where,
      undefined,
    )[0]?.ref;
    expect(ref).toEqual({ repository: "web", digest: DIGEST });
  });

  it("fails on a file that names no image, bad JSON, or a non-ECR URI", () => {
    const none = errorOf(() => imagesFromFile("imageDetail.json", '{"foo": 1}', where, undefined));
    expect(none.type).toBe("JobFailed");
    expect(none.message).toBe(
      'imageDetail.json in input artifact "BuildArtifact" names no image: expected "ImageURI" (or "RepositoryName" with "ImageDigest"); found keys foo.',
    );
    expect(errorOf(() => imagesFromFile("imageDetail.json", "{oops", where, undefined)).message).toContain(
      'imageDetail.json in input artifact "BuildArtifact" is not valid JSON',
    );
    expect(
      errorOf(() => imagesFromFile("imageDetail.json", '{"ImageURI": "nginx:1"}', where, undefined)).message,
    ).toContain('ImageURI "nginx:1" is not an ECR image URI');
    expect(errorOf(() => imagesFromFile("imageDetail.json", "42", where, undefined)).message).toContain(
      "holds number",
    );
  });

  it("rejects containers for a single image", () => {
    const error = errorOf(() =>
      imagesFromFile("imageDetail.json", `{"ImageURI": "${HOST}/web:v2"}`, where, ["web"]),
    );
    expect(error.type).toBe("ConfigurationError");
  });
});

describe("imagedefinitions.json", () => {
  const definitions = JSON.stringify([
    { name: "web", imageUri: `${HOST}/web:v1` },
    { name: "worker", imageUri: `${HOST}/worker@${DIGEST}` },
    { name: "sidecar", imageUri: "public.ecr.aws/aws-observability/aws-otel-collector:latest" },
  ]);

  it("lists every container, narrowed by containers", () => {
    const targets = imagesFromFile("imagedefinitions.json", definitions, where, ["web", "worker"]);
    expect(targets.map((t) => [t.ref.repository, t.origin])).toEqual([
      ["web", 'container "web" in imagedefinitions.json'],
      ["worker", 'container "worker" in imagedefinitions.json'],
    ]);
  });

  it("explains a non-ECR container and suggests containers", () => {
    const error = errorOf(() => imagesFromFile("imagedefinitions.json", definitions, where, undefined));
    expect(error.type).toBe("ConfigurationError");
    expect(error.message).toContain('Container "sidecar" in imagedefinitions.json');
    expect(error.message).toContain('list the ECR containers in "containers"');
  });

  it("names unknown containers and the ones listed", () => {
    const error = errorOf(() => imagesFromFile("imagedefinitions.json", definitions, where, ["api"]));
    expect(error.message).toBe(
      'containers: "api" not in imagedefinitions.json in input artifact "BuildArtifact"; it lists "web", "worker", "sidecar".',
    );
  });

  it("checks an image listed twice once", () => {
    const twice = JSON.stringify([
      { name: "a", imageUri: `${HOST}/web:v1` },
      { name: "b", imageUri: `${HOST}/web:v1` },
    ]);
    expect(imagesFromFile("imagedefinitions.json", twice, where, undefined)).toHaveLength(1);
  });

  it("fails on an empty list or an entry without imageUri", () => {
    expect(errorOf(() => imagesFromFile("imagedefinitions.json", "[]", where, undefined)).message).toContain(
      "lists no containers",
    );
    expect(
      errorOf(() => imagesFromFile("imagedefinitions.json", '[{"name": "web"}]', where, undefined)).message,
    ).toContain('entry [0] has no "imageUri"');
  });
});

import { describe, expect, it } from "vitest";
import { fullName, parseImageUri, shortName } from "../../../functions/ecr-findings-check/image-ref.js";

const DIGEST = `sha256:${"ab".repeat(32)}`;

describe("parseImageUri", () => {
  it("reads registry, region, repository and tag", () => {
    expect(parseImageUri("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web:v1.2")).toEqual({
      ok: true,
      ref: { repository: "team/web", tag: "v1.2", registryId: "123456789012", region: "eu-west-1" },
    });
  });

  it("reads a digest, and keeps the tag of repo:tag@digest", () => {
    expect(parseImageUri(`123456789012.dkr.ecr.us-east-1.amazonaws.com/web@${DIGEST}`)).toMatchObject({
      ok: true,
      ref: { repository: "web", digest: DIGEST },
    });
    const both = parseImageUri(`123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1@${DIGEST}`);
    expect(both).toMatchObject({ ok: true, ref: { tag: "v1", digest: DIGEST } });
  });

  it("defaults to the tag latest like docker", () => {
    expect(parseImageUri("123456789012.dkr.ecr.us-east-1.amazonaws.com/web")).toMatchObject({
      ok: true,
      ref: { tag: "latest" },
    });
  });

  it("accepts China, FIPS and dual-stack hosts", () => {
    for (const host of [
      "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn",
      "123456789012.dkr.ecr-fips.us-east-1.amazonaws.com",
      "123456789012.dkr-ecr.us-east-1.on.aws",
    ]) {
      expect(parseImageUri(`${host}/web:v1`).ok).toBe(true);
    }
  });

  it("rejects other registries, bad digests, tags and repository names with a reason", () => {
    const bad = (uri: string) => {
      const parsed = parseImageUri(uri);
      return parsed.ok ? "" : parsed.message;
    };
    expect(bad("nginx:latest")).toContain("is not an ECR image URI");
    expect(bad("docker.io/library/nginx:latest")).toContain('is not in an ECR registry (host "docker.io")');
    expect(bad("123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:abc")).toContain("expected sha256:");
    expect(bad("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:-bad")).toContain('invalid tag "-bad"');
    expect(bad("123456789012.dkr.ecr.us-east-1.amazonaws.com/Web:v1")).toContain(
      'invalid repository name "Web"',
    );
  });
});

describe("names", () => {
  it("short name uses a short digest once known, the tag before", () => {
    expect(shortName({ repository: "web", tag: "v1" })).toBe("web:v1");
    expect(shortName({ repository: "web", tag: "v1", digest: DIGEST })).toBe("web@sha256:abababababab…");
  });

  it("full name has the registry host, the full digest and the tag it came from", () => {
    expect(
      fullName({
        repository: "web",
        tag: "v1",
        digest: DIGEST,
        registryId: "123456789012",
        region: "us-east-1",
      }),
    ).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/web@${DIGEST} (tag v1)`);
    expect(fullName({ repository: "web", tag: "v1" })).toBe("web:v1");
  });
});

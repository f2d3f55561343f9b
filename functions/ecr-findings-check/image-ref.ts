import type { Parsed } from "../../shared/index.js";
/** Which ECR image to check: parsed from a URI, a UserParameters object, or an artifact file. */

export interface ImageRef {
  repository: string;
  tag?: string | undefined;
  digest?: string | undefined;
  /** The registry (account) id; the caller's own registry when absent. */
  registryId?: string | undefined;
  /** The region the image lives in; the function's region when absent. */
  region?: string | undefined;
}

/** Where an image came from, for messages: "UserParameters.image", "container \"web\" in imagedefinitions.json". */
export interface ImageTarget {
  ref: ImageRef;
  origin: string;
}

export const REPOSITORY_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,299}$/;
export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;
export const REGISTRY_ID_PATTERN = /^\d{12}$/;

// ACCOUNT.dkr.ecr.REGION.amazonaws.com[.cn], the FIPS form, and the dual-stack ACCOUNT.dkr-ecr.REGION.on.aws.
const ECR_HOST = /^(\d{12})\.dkr[.-]ecr(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com(?:\.cn)?|on\.aws)$/;

export type ParseResult = Parsed<{ ref: ImageRef }>;

/**
 * Parses an ECR image URI: `ACCOUNT.dkr.ecr.REGION.amazonaws.com/repo:tag`, `…/repo@sha256:…`,
 * or `…/repo:tag@sha256:…` (the digest wins). No tag and no digest means the tag "latest", as in docker.
 */
export const parseImageUri = (uri: string): ParseResult => {
  const trimmed = uri.trim();
  const slash = trimmed.indexOf("/");
  const expected =
    "expected an ECR image URI such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/my-repo:tag or …/my-repo@sha256:<digest>";
  if (slash < 0) return { ok: false, message: `"${trimmed}" is not an ECR image URI; ${expected}` };
  const host = ECR_HOST.exec(trimmed.slice(0, slash).toLowerCase());
  if (!host) {
    return {
      ok: false,
      message: `"${trimmed}" is not in an ECR registry (host "${trimmed.slice(0, slash)}"); ${expected}`,
    };
  }
  let rest = trimmed.slice(slash + 1);
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_PATTERN.test(digest)) {
      return {
        ok: false,
        message: `"${trimmed}" has digest "${digest}"; expected sha256: and 64 hex digits`,
      };
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_PATTERN.test(tag)) return { ok: false, message: `"${trimmed}" has an invalid tag "${tag}"` };
  }
  if (!REPOSITORY_PATTERN.test(rest)) {
    return { ok: false, message: `"${trimmed}" has an invalid repository name "${rest}"` };
  }
  return {
    ok: true,
    ref: {
      repository: rest,
      ...(tag !== undefined ? { tag } : {}),
      ...(digest !== undefined ? { digest } : {}),
      ...(tag === undefined && digest === undefined ? { tag: "latest" } : {}),
      registryId: host[1],
      region: host[2],
    },
  };
};

/** "sha256:5d4cc820b37f…" */
export const shortDigest = (digest: string): string =>
  digest.length > 19 ? `${digest.slice(0, 19)}…` : digest;

/** Short name for headlines: "web@sha256:5d4cc820b37f…", or "web:v1" while only the tag is known. */
export const shortName = (ref: ImageRef): string =>
  ref.digest ? `${ref.repository}@${shortDigest(ref.digest)}` : `${ref.repository}:${ref.tag ?? "latest"}`;

/** The full reference: registry host when known, the digest when known, and the tag it came from. */
export const fullName = (ref: ImageRef): string => {
  const host = ref.registryId && ref.region ? `${ref.registryId}.dkr.ecr.${ref.region}.amazonaws.com/` : "";
  const name = ref.digest
    ? `${host}${ref.repository}@${ref.digest}`
    : `${host}${ref.repository}:${ref.tag ?? "latest"}`;
  return ref.digest && ref.tag ? `${name} (tag ${ref.tag})` : name;
};

import { configurationError, jobFailed } from "../../shared/index.js";
import { DIGEST_PATTERN, type ImageRef, type ImageTarget, parseImageUri } from "./image-ref.js";

/** Looked for, in this order, at the artifact's root when `imageFile` is not given. */
export const DEFAULT_IMAGE_FILES = ["imageDetail.json", "imagedefinitions.json"] as const;

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The images an artifact file names. An array is an ECS `imagedefinitions.json`
 * ([{name, imageUri}], every container unless `containers` narrows it); an object is an
 * `imageDetail.json` (the ECR source action's output, or the blue/green {ImageURI} form).
 */
export const imagesFromFile = (
  file: string,
  content: string,
  where: string,
  containers: readonly string[] | undefined,
): ImageTarget[] => {
  let data: unknown;
  try {
    data = JSON.parse(content.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw jobFailed(`${file} in ${where} is not valid JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(data)) return fromImageDefinitions(file, data, where, containers);
  if (isObject(data)) {
    if (containers) {
      throw configurationError(
        `"containers" applies to an imagedefinitions.json list, but ${file} in ${where} names a single image; remove "containers".`,
      );
    }
    return [{ ref: fromImageDetail(file, data, where), origin: `${file} in ${where}` }];
  }
  throw jobFailed(
    `${file} in ${where} holds ${data === null ? "null" : typeof data}; expected an imageDetail.json object or an imagedefinitions.json list.`,
  );
};

const fromImageDetail = (file: string, data: Loose, where: string): ImageRef => {
  const tags = Array.isArray(data.ImageTags) ? data.ImageTags.filter((t) => typeof t === "string") : [];
  if (typeof data.ImageURI === "string") {
    const parsed = parseImageUri(data.ImageURI);
    if (!parsed.ok) throw jobFailed(`${file} in ${where}: ImageURI ${parsed.message}`);
    // The ECR source action writes a digest URI; keep its tag for the message.
    return parsed.ref.digest && !parsed.ref.tag && tags[0]
      ? { ...parsed.ref, tag: tags[0] as string }
      : parsed.ref;
  }
  if (
    typeof data.RepositoryName === "string" &&
    typeof data.ImageDigest === "string" &&
    DIGEST_PATTERN.test(data.ImageDigest)
  ) {
    return {
      repository: data.RepositoryName,
      digest: data.ImageDigest,
      ...(typeof data.RegistryId === "string" ? { registryId: data.RegistryId } : {}),
      ...(tags[0] ? { tag: tags[0] as string } : {}),
    };
  }
  throw jobFailed(
    `${file} in ${where} names no image: expected "ImageURI" (or "RepositoryName" with "ImageDigest"); found keys ${
      Object.keys(data).join(", ") || "none"
    }.`,
  );
};

const fromImageDefinitions = (
  file: string,
  data: unknown[],
  where: string,
  containers: readonly string[] | undefined,
): ImageTarget[] => {
  const entries = data.map((entry, i) => {
    if (!isObject(entry) || typeof entry.imageUri !== "string") {
      throw jobFailed(
        `${file} in ${where}: entry [${i}] has no "imageUri"; expected {"name": "…", "imageUri": "…"}.`,
      );
    }
    return { name: typeof entry.name === "string" ? entry.name : `[${i}]`, imageUri: entry.imageUri };
  });
  if (entries.length === 0)
    throw jobFailed(`${file} in ${where} lists no containers: there is no image to check.`);
  let chosen = entries;
  if (containers) {
    const names = entries.map((e) => e.name);
    const missing = containers.filter((c) => !names.includes(c));
    if (missing.length) {
      throw configurationError(
        `containers: ${missing.map((m) => `"${m}"`).join(", ")} not in ${file} in ${where}; it lists ${names
          .map((n) => `"${n}"`)
          .join(", ")}.`,
      );
    }
    chosen = entries.filter((e) => containers.includes(e.name));
  }
  const seen = new Set<string>();
  const targets: ImageTarget[] = [];
  for (const entry of chosen) {
    const parsed = parseImageUri(entry.imageUri);
    if (!parsed.ok) {
      throw configurationError(
        `Container "${entry.name}" in ${file} (${where}): ${parsed.message}. Only ECR images can be checked; ` +
          `list the ECR containers in "containers".`,
      );
    }
    if (seen.has(entry.imageUri)) continue;
    seen.add(entry.imageUri);
    targets.push({ ref: parsed.ref, origin: `container "${entry.name}" in ${file}` });
  }
  return targets;
};

import type { RuleContext } from "../../shared/index.js";
import { configurationError, openInputArtifact } from "../../shared/index.js";
import { readBaseImage } from "./base-image.js";
import { resolveBaseline } from "./baseline.js";
import type { LoadedImages } from "./evaluate.js";
import type { ImageTarget } from "./image-ref.js";
import { DEFAULT_IMAGE_FILES, imagesFromFile } from "./image-source.js";
import type { BaselineParam, Params } from "./params.js";
import { checkImage } from "./scan.js";

/** The images named by the input artifact: `imageFile`, else imageDetail.json, else imagedefinitions.json. */
const imagesFromArtifact = async (ctx: RuleContext<Params>): Promise<ImageTarget[]> => {
  const { params, job } = ctx;
  if (job.inputArtifacts.length === 0 && params.inputArtifact === undefined) {
    throw configurationError(
      'No image to check: UserParameters has no "image", and the rule has no input artifact to read ' +
        `${DEFAULT_IMAGE_FILES.join(" or ")} from. Set "image" or add the build's output artifact to the rule's InputArtifacts.`,
    );
  }
  ctx.step("opening the input artifact");
  const artifact = await openInputArtifact(job, { name: params.inputArtifact, signal: ctx.signal });
  try {
    const where = `input artifact "${artifact.name}"`;
    let file: string | undefined;
    if (params.imageFile !== undefined) {
      if (!artifact.has(params.imageFile)) {
        throw configurationError(`imageFile: ${artifact.describeMissing(params.imageFile)}`);
      }
      file = params.imageFile;
    } else {
      file = DEFAULT_IMAGE_FILES.find((name) => artifact.has(name));
      if (!file) {
        const present = artifact.files.slice(0, 10).join(", ");
        throw configurationError(
          `No image to check: UserParameters has no "image", and ${where} (${artifact.location}) has neither ` +
            `${DEFAULT_IMAGE_FILES.join(" nor ")} at its root. It holds ${
              artifact.files.length ? `${present}${artifact.files.length > 10 ? ", …" : ""}` : "no files"
            }. Set "image", or "imageFile" to the file that names the image.`,
        );
      }
    }
    ctx.step(`reading ${file} from the input artifact`);
    return imagesFromFile(file, await artifact.readText(file), where, params.containers);
  } finally {
    artifact.close();
  }
};

/** Finds the image(s) and reads each one's scan, and the baseline's, concurrently. */
export const load = async (ctx: RuleContext<Params>): Promise<LoadedImages> => {
  const { params } = ctx;
  const options = {
    signal: ctx.signal,
    remainingMs: ctx.remainingMs,
    waitForScanSeconds: params.waitForScanSeconds,
    step: ctx.step,
    logger: ctx.logger,
    needEpss: params.minEpss !== undefined,
  };
  const targets: ImageTarget[] = params.image
    ? [{ ref: params.image, origin: "UserParameters.image" }]
    : await imagesFromArtifact(ctx);
  const readBaseline = async (baseline: BaselineParam) => {
    ctx.step("finding the baseline image");
    const target = await resolveBaseline(baseline, ctx.signal);
    // What runs in production was scanned long ago: no waiting, and no EPSS (only ids matter).
    return checkImage(target, { ...options, waitForScanSeconds: 0, needEpss: false });
  };
  const [images, baselineCheck, baseImage] = await Promise.all([
    Promise.all(targets.map((target) => checkImage(target, options))),
    params.baseline ? readBaseline(params.baseline) : undefined,
    params.baseImage ? readBaseImage(params.baseImage, ctx.signal) : undefined,
  ]);
  return {
    images,
    ...(baselineCheck ? { baseline: baselineCheck } : {}),
    ...(baseImage ? { baseImage } : {}),
  };
};

import type { Parsed, RuleContext } from "../../shared/index.js";
import { type Artifact, openInputArtifact, plural, RuleError } from "../../shared/index.js";
import type { ArtifactContents, LoadedCheck, LoadedFile } from "./evaluate.js";
import { filesFor, formatFor } from "./files.js";
import { loadParserFor, type ParsedFile, type Parsers, parseFile, type ReadAs } from "./formats.js";
import { closestToGlob } from "./glob.js";
import type { Check, Params } from "./params.js";

/** A glob matching more than this is more likely a mistake than a set of reports. */
export const MAX_FILES_PER_CHECK = 100;

const noMatch = (check: Check, artifact: Artifact): string => {
  if (!check.glob) return artifact.describeMissing(check.file);
  const where = `the input artifact "${artifact.name}" (${artifact.location})`;
  const head = `No file matches the pattern "${check.file}"`;
  if (artifact.files.length === 0) return `${head}: ${where} holds no files.`;
  const closest = closestToGlob(check.file, artifact.files);
  const hint =
    closest.length > 0
      ? `Closest: ${closest.map((path) => `"${path}"`).join(", ")}.`
      : "None has a similar name, folder or extension.";
  return `${head} in ${where}, which holds ${plural(artifact.files.length, "file")}. ${hint}`;
};

/** Reads and parses each file the checks name, each once; a file's problems become its content. */
export const load = async (ctx: RuleContext<Params>): Promise<ArtifactContents> => {
  const { params } = ctx;
  ctx.step(`opening input artifact ${params.artifact ? `"${params.artifact}"` : "(the first)"}`);
  const artifact = await openInputArtifact(ctx.job, { name: params.artifact, signal: ctx.signal });
  const texts = new Map<string, Parsed<{ text: string }>>();
  const parsed = new Map<string, ParsedFile>();
  const parsers: Parsers = {};

  const readText = async (path: string) => {
    let entry = texts.get(path);
    if (!entry) {
      ctx.step(`reading ${path} from ${artifact.name}`);
      try {
        entry = { ok: true, text: await artifact.readText(path) };
      } catch (error) {
        // A file too large or corrupt fails its checks; S3 and network errors stop the run.
        if (!(error instanceof RuleError) || error.type !== "JobFailed") throw error;
        entry = { ok: false, message: error.message };
      }
      texts.set(path, entry);
    }
    return entry;
  };

  const parse = async (path: string, format: ReadAs): Promise<ParsedFile> => {
    const key = `${format}:${path}`;
    let content = parsed.get(key);
    if (!content) {
      const entry = await readText(path);
      if (entry.ok) await loadParserFor(format, parsers);
      content = entry.ok ? parseFile(entry.text, format, parsers) : entry;
      parsed.set(key, content);
    }
    return content;
  };

  try {
    const checks: LoadedCheck[] = [];
    for (const check of params.checks) {
      const paths = filesFor(check, artifact.files);
      if (paths.length === 0) {
        checks.push({ ok: false, message: noMatch(check, artifact) });
      } else if (paths.length > MAX_FILES_PER_CHECK) {
        checks.push({
          ok: false,
          message: `the pattern "${check.file}" matches ${paths.length} files; a check reads at most ${MAX_FILES_PER_CHECK}. Narrow the pattern.`,
        });
      } else {
        const files: LoadedFile[] = [];
        for (const path of paths) files.push({ path, content: await parse(path, formatFor(check, path)) });
        checks.push({ ok: true, files });
      }
    }
    ctx.logger.info("Read artifact files", {
      artifact: artifact.name,
      files: texts.size,
      requests: artifact.stats.requests,
      bytesFetched: artifact.stats.bytesFetched,
    });
    return { artifact: artifact.name, checks };
  } finally {
    artifact.close();
  }
};

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { CalendarState } from "./codepipeline-endpoint.js";
import { DEMO_ARTIFACT_BUCKET, seedEcrDemo } from "./ecr-fixtures.js";
import type { LocalAws } from "./local-aws.js";
import { zipBuffer } from "./zip.js";

/**
 * The fixtures behind the sample events in events/<function>/: artifacts declared next to the
 * events in events/<function>/fixtures/artifacts.json (object key → {path in the zip: content}),
 * change-calendar states in fixtures/calendars.json, and the ECR repositories, images and scan
 * findings that seedEcrDemo creates (with the artifacts that point at their digests). The local
 * runner and the demo seed them into a fresh local AWS.
 */

const EVENTS = "events";

const fixtureFiles = (name: string): string[] =>
  readdirSync(EVENTS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(EVENTS, d.name, "fixtures", name))
    .filter((path) => existsSync(path));

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;
const withoutComments = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([key]) => key !== "//")) as T;

/** Change calendars the sample events name, for the local SSM GetCalendarState stand-in. */
export const CALENDARS: Record<string, CalendarState> = Object.assign(
  {},
  ...fixtureFiles("calendars.json").map((path) =>
    withoutComments(readJson<Record<string, CalendarState>>(path)),
  ),
);

type ArtifactFiles = Record<string, Record<string, string>>;

const uploadArtifacts = async (s3: S3Client, artifacts: ArtifactFiles) => {
  for (const [key, files] of Object.entries(artifacts)) {
    await s3.send(
      new PutObjectCommand({ Bucket: DEMO_ARTIFACT_BUCKET, Key: key, Body: await zipBuffer(files) }),
    );
  }
};

export const seedFixtures = async (local: LocalAws): Promise<void> => {
  const s3 = new S3Client({
    region: "us-east-1",
    endpoint: local.moto.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await s3.send(new CreateBucketCommand({ Bucket: DEMO_ARTIFACT_BUCKET }));
  for (const path of fixtureFiles("artifacts.json")) {
    await uploadArtifacts(s3, withoutComments(readJson<ArtifactFiles>(path)));
  }
  const ecr = await seedEcrDemo(local.moto.endpoint);
  await uploadArtifacts(s3, ecr.artifacts);
};

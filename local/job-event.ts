/** Builds CodePipeline job events the way CodePipeline sends them to a LambdaInvoke rule. */

export interface JobEventOptions {
  id?: string;
  userParameters?: string | Record<string, unknown> | undefined;
  artifacts?: Array<{ name: string; bucket: string; key: string }>;
  /** Marker credentials by default: they must never show up in logs. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}

export const MARKER_CREDENTIALS = {
  accessKeyId: "ASIAMARKERACCESSKEY0",
  secretAccessKey: "marker-secret-access-key-must-never-be-logged",
  sessionToken: "marker-session-token-must-never-be-logged",
};

export const jobEvent = (options: JobEventOptions = {}) => {
  const configuration: Record<string, string> = { FunctionName: "gate" };
  if (options.userParameters !== undefined) {
    configuration.UserParameters =
      typeof options.userParameters === "string"
        ? options.userParameters
        : JSON.stringify(options.userParameters);
  }
  return {
    "CodePipeline.job": {
      id: options.id ?? crypto.randomUUID(),
      accountId: "123456789012",
      data: {
        actionConfiguration: { configuration },
        inputArtifacts: (options.artifacts ?? []).map((a) => ({
          name: a.name,
          revision: null,
          location: { type: "S3", s3Location: { bucketName: a.bucket, objectKey: a.key } },
        })),
        outputArtifacts: [],
        artifactCredentials: {
          ...(options.credentials ?? MARKER_CREDENTIALS),
          expirationTime: Date.now() + 3_600_000,
        },
      },
    },
  };
};

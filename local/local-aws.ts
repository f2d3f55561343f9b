import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import {
  type CalendarState,
  type CodePipelineEndpoint,
  type CodePipelineEndpointOptions,
  startCodePipelineEndpoint,
} from "./codepipeline-endpoint.js";
import { type Moto, startMoto } from "./moto.js";

/** A local AWS for the runner and the demo: moto_server plus our CodePipeline/SSM-calendar stand-in. */
export interface LocalAws {
  moto: Moto;
  codePipeline: CodePipelineEndpoint;
  /** The environment a bundle needs to talk to them (the standard SDK endpoint variables). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** Fixed ports of the long-running local AWS (npm run local-aws), as in events/sam-local-env.json. */
export const LOCAL_AWS_PORTS = { moto: 5000, codePipeline: 5001 } as const;

export interface LocalAwsOptions extends Omit<CodePipelineEndpointOptions, "port" | "calendars"> {
  /** Fixed ports; free ones by default. */
  ports?: { moto: number; codePipeline: number };
}

export const startLocalAws = async (
  calendars: Record<string, CalendarState> = {},
  options: LocalAwsOptions = {},
): Promise<LocalAws> => {
  const { ports, ...endpointOptions } = options;
  const moto = await startMoto(ports ? { port: ports.moto } : {});
  const codePipeline = await startCodePipelineEndpoint({
    ...endpointOptions,
    calendars,
    ...(ports ? { port: ports.codePipeline } : {}),
  }).catch(async (error: unknown) => {
    await moto.stop();
    throw error;
  });
  return {
    moto,
    codePipeline,
    env: localAwsEnv(moto.endpoint, codePipeline.endpoint),
    stop: async () => {
      await codePipeline.stop();
      await moto.stop();
    },
  };
};

/** The environment a bundle needs to talk to a local AWS (the standard SDK endpoint variables). */
export const localAwsEnv = (motoEndpoint: string, codePipelineEndpoint: string): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
  AWS_ENDPOINT_URL: motoEndpoint,
  AWS_ENDPOINT_URL_CODEPIPELINE: codePipelineEndpoint,
  AWS_ENDPOINT_URL_SSM: codePipelineEndpoint,
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? "INFO",
});

/** Where a running `npm run local-aws` says where it listens, for `npm run invoke` to reuse it. */
const RUNNING_FILE = process.env.LOCAL_AWS_STATE_FILE ?? ".tmp/local-aws.json";

interface RunningLocalAws {
  pid: number;
  moto: string;
  codePipeline: string;
}

export const rememberRunningLocalAws = (local: LocalAws): void => {
  mkdirSync(dirname(RUNNING_FILE), { recursive: true });
  const running: RunningLocalAws = {
    pid: process.pid,
    moto: local.moto.endpoint,
    codePipeline: local.codePipeline.endpoint,
  };
  writeFileSync(RUNNING_FILE, JSON.stringify(running));
};

export const forgetRunningLocalAws = (): void => rmSync(RUNNING_FILE, { force: true });

/** The environment for a local AWS that `npm run local-aws` keeps running, if one answers. */
export const runningLocalAwsEnv = async (): Promise<NodeJS.ProcessEnv | undefined> => {
  let running: RunningLocalAws;
  try {
    running = JSON.parse(readFileSync(RUNNING_FILE, "utf8")) as RunningLocalAws;
    process.kill(running.pid, 0);
  } catch {
    return undefined;
  }
  const answers = await fetch(`${running.moto}/moto-api/`, { signal: AbortSignal.timeout(1_000) }).then(
    (r) => r.status < 500,
    () => false,
  );
  return answers ? localAwsEnv(running.moto, running.codePipeline) : undefined;
};

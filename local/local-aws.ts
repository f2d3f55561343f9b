import {
  type CalendarState,
  type CodePipelineEndpoint,
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

export const startLocalAws = async (calendars: Record<string, CalendarState> = {}): Promise<LocalAws> => {
  const moto = await startMoto();
  const codePipeline = await startCodePipelineEndpoint({ calendars });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ENDPOINT_URL_CODEPIPELINE: codePipeline.endpoint,
    AWS_ENDPOINT_URL_SSM: codePipeline.endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? "INFO",
  };
  return {
    moto,
    codePipeline,
    env,
    stop: async () => {
      await codePipeline.stop();
      await moto.stop();
    },
  };
};

/**
 * npm run local-aws [-- --moto-port 5000 --codepipeline-port 5001]
 *
 * Starts a local AWS and keeps it running until Ctrl-C: moto_server (S3, ECR, …) and our
 * CodePipeline/SSM-calendar stand-in, on fixed ports (those in events/sam-local-env.json),
 * seeded with the demo data the sample events expect. Point `sam local invoke --env-vars
 * events/sam-local-env.json`, the AWS CLI or any SDK at it; `npm run invoke` reuses it.
 * Every result a function reports is printed as it arrives.
 */
import { parseArgs } from "node:util";
import type { RecordedResult } from "./codepipeline-endpoint.js";
import { CALENDARS, seedFixtures } from "./fixtures.js";
import {
  forgetRunningLocalAws,
  LOCAL_AWS_PORTS,
  rememberRunningLocalAws,
  startLocalAws,
} from "./local-aws.js";

const usage = "usage: npm run local-aws [-- --moto-port 5000 --codepipeline-port 5001]";
const fail = (message: string): never => {
  console.error(`${message}\n${usage}`);
  process.exit(2);
};
const values = (() => {
  try {
    return parseArgs({
      options: {
        "moto-port": { type: "string", default: String(LOCAL_AWS_PORTS.moto) },
        "codepipeline-port": { type: "string", default: String(LOCAL_AWS_PORTS.codePipeline) },
      },
    }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
})();
const port = (name: "moto-port" | "codepipeline-port"): number => {
  const value = Number(values[name]);
  return Number.isInteger(value) && value > 0 && value < 65536
    ? value
    : fail(`--${name} expects a port number from 1 to 65535; got ${JSON.stringify(values[name])}`);
};
const ports = { moto: port("moto-port"), codePipeline: port("codepipeline-port") };

const firstLine = (text: unknown) => String(text ?? "").split("\n")[0];
const printResult = (result: RecordedResult) => {
  const body = result.body as {
    failureDetails?: { type?: string; message?: string };
    executionDetails?: { summary?: string };
  };
  const what =
    result.operation === "PutJobFailureResult"
      ? `${body.failureDetails?.type}: ${firstLine(body.failureDetails?.message)}`
      : firstLine(body.executionDetails?.summary);
  console.log(`${new Date().toISOString()} ${result.operation} job ${result.jobId}\n  ${what}`);
};

let local: Awaited<ReturnType<typeof startLocalAws>>;
try {
  local = await startLocalAws(CALENDARS, { ports, repeatableJobs: true, onResult: printResult });
} catch (error) {
  console.error(
    `Could not start the local AWS on ports ${ports.moto} and ${ports.codePipeline}: ${firstLine((error as Error).message)}\n` +
      "Is one already running (npm run local-aws)? Other ports: npm run local-aws -- --moto-port N --codepipeline-port M",
  );
  process.exit(1);
}
await seedFixtures(local);
rememberRunningLocalAws(local);

const stop = async () => {
  forgetRunningLocalAws();
  await local.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

const { AWS_ENDPOINT_URL: moto, AWS_ENDPOINT_URL_CODEPIPELINE: codePipeline } = local.env;
console.log(`Local AWS is running (Ctrl-C stops it), seeded with the sample events' data.
  moto_server (S3, ECR, Inspector2, ECS, EventBridge, …)  ${moto}
  CodePipeline job results + SSM GetCalendarState       ${codePipeline}

Point a client at it:
  export AWS_ENDPOINT_URL=${moto} AWS_ENDPOINT_URL_CODEPIPELINE=${codePipeline} AWS_ENDPOINT_URL_SSM=${codePipeline}
  export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local
  aws s3 ls s3://codepipeline-demo-artifacts --recursive
  npm run invoke -- window-check events/window-check/blog-deny-fri-sun.json   # reuses this local AWS
  sam build && sam local invoke WindowCheckFunction -e events/window-check/blog-deny-fri-sun.json \\
    --env-vars events/sam-local-env.json --docker-network host

Results reported by the functions:`);
// Keeps running: the servers hold the event loop open.

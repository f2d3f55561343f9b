import { Logger } from "@aws-lambda-powertools/logger";

/** One structured JSON logger per rule function; the service name is the rule's name. */
export const createLogger = (rule: string): Logger =>
  new Logger({ serviceName: rule, persistentKeys: { rule } });

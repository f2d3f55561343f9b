/** JMESPath for expect, loaded only when a check uses it (see compilers.ts). */
export { compile, TreeInterpreter, tokenize } from "@jmespath-community/jmespath";

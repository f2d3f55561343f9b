/** RE2 for match/notMatch and globs, loaded only when a check uses one (see compilers.ts). */
export { RE2JS } from "re2js";

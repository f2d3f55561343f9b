/** The local runner prints the invocation's result on one line after this marker. */
export const RESULT_MARKER = "__lambda_result__";

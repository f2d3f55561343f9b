import { Readable } from "node:stream";
import type { GetObjectCommandInput } from "@aws-sdk/client-s3";
import { sdkStreamMixin } from "@smithy/util-stream";

/**
 * Answers a GetObject for an in-memory object the way S3 does, ranges included (`bytes=-N` for
 * the tail, `bytes=A-B`): for aws-sdk-client-mock's `.on(GetObjectCommand).callsFake`.
 */
export const rangedGetObject = (object: Buffer, input: GetObjectCommandInput) => {
  const range = input.Range ?? "";
  const size = object.length;
  let start = 0;
  let end = size - 1;
  const suffix = range.match(/^bytes=-(\d+)$/);
  const span = range.match(/^bytes=(\d+)-(\d+)$/);
  if (suffix) start = Math.max(0, size - Number(suffix[1]));
  else if (span) {
    start = Number(span[1]);
    end = Math.min(size - 1, Number(span[2]));
  }
  const body = object.subarray(start, end + 1);
  return {
    Body: sdkStreamMixin(Readable.from([body])),
    ContentLength: body.length,
    ContentRange: `bytes ${start}-${end}/${size}`,
  };
};

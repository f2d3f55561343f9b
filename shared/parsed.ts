/**
 * What every parser of untrusted input (job events, image URIs, artifact files, reports) returns:
 * the value, or a message a user can act on. `F` adds what a failure still knows (a job's id).
 */
export type Parsed<T extends object, F extends object = object> =
  | ({ ok: true } & T)
  | ({ ok: false; message: string } & F);

// pg-copy-streams ships no types, and @types/pg-copy-streams (in devDependencies)
// is missing from this checkout's node_modules;
// this is the part of its API the batch writer uses.
declare module 'pg-copy-streams' {
  import type { Writable, WritableOptions } from 'node:stream'
  import type { Submittable } from 'pg'

  /** A COPY ... FROM STDIN: write rows in COPY text format, end it, and 'finish' fires once the server has them. */
  export interface CopyStreamQuery extends Writable, Submittable {
    rowCount: number
  }

  export function from(text: string, options?: WritableOptions): CopyStreamQuery
}

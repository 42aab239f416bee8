import { readFileSync } from 'node:fs'

/** The engine version plugins' `engine` ranges are checked against. */
export const ENGINE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version

import { fileURLToPath } from 'node:url'

/** Directory of the fixture plugins used by the core's tests. */
export const FIXTURE_PLUGINS = fileURLToPath(new URL('../fixtures/plugins/', import.meta.url))

import { readFileSync } from 'node:fs'
import type { Test } from 'tap'
import type { JsonSchema } from '../manifest.js'
import { TIMEOUT_PATTERN } from '../notify-kit/timeout.js'

/** What a plugin's config schema must say. */
export interface ConfigSchemaExpectation {
  /** `vedette.name`, for packages whose manifest names the plugin. */
  name?: string
  required: readonly string[]
  /** The code's defaults: exactly the `default`s the schema documents. */
  defaults: Readonly<Record<string, unknown>>
  /** Properties holding credentials: marked `writeOnly`, so no API or UI shows them back. */
  secrets?: readonly string[]
}

interface SchemaProperty {
  description?: string
  default?: unknown
  pattern?: string
  writeOnly?: boolean
}

/**
 * Asserts that the `vedette.configSchema` of the plugin package at
 * `packageJson` (any kind) is what the operator reads and the code does: closed
 * (`additionalProperties: false`), every property described, the documented
 * defaults equal to the code's, credentials `writeOnly`, and `timeout` using
 * the one `TIMEOUT_PATTERN` that `parseTimeout` reads.
 *
 * @example
 * assertConfigSchema(t, new URL('../package.json', import.meta.url), { required: ['url'], defaults: SLACK_DEFAULTS, secrets: ['url'] })
 */
export function assertConfigSchema(t: Test, packageJson: URL, expected: ConfigSchemaExpectation): void {
  const pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as { vedette: { name?: string; configSchema: JsonSchema } }
  const schema = pkg.vedette.configSchema as { additionalProperties?: unknown; required?: string[]; properties: Record<string, SchemaProperty> }
  if (expected.name !== undefined) t.equal(pkg.vedette.name, expected.name, 'vedette.name')
  t.equal(schema.additionalProperties, false, 'unknown options are refused')
  t.same(schema.required, expected.required, 'required options')
  for (const [name, prop] of Object.entries(schema.properties)) t.ok((prop.description ?? '').length > 10, `${name} is described`)
  const documented = Object.fromEntries(Object.entries(schema.properties).filter(([, p]) => 'default' in p).map(([k, p]) => [k, p.default]))
  t.same(documented, expected.defaults, 'documented defaults are the code defaults')
  for (const name of expected.secrets ?? []) t.equal(schema.properties[name]?.writeOnly, true, `${name} is marked writeOnly`)
  if (schema.properties.timeout !== undefined) t.equal(schema.properties.timeout.pattern, TIMEOUT_PATTERN, 'timeout pattern is the one parseTimeout reads')
}

/** The notifier packages' name for assertConfigSchema. */
export const assertNotifierSchema = assertConfigSchema
export type NotifierSchemaExpectation = ConfigSchemaExpectation

/** A config and the problem it must be refused with. */
export type RefusedConfig = readonly [config: unknown, message: RegExp]

/**
 * Asserts that `create` (a config parser, or `(config) => plugin.create(config, ctx)`)
 * throws (or rejects) for each config, with the package's error `code` and a message
 * matching the case, never quoting `secret`.
 *
 * @example
 * await assertConfigRefused(t, parseDiscordConfig, [[{}, /url is required/]], { code: 'VDT_ERR_NOTIFIER_DISCORD_INVALID_CONFIG', secret: 'secret-token' })
 */
export async function assertConfigRefused(
  t: Test,
  create: (config: unknown) => unknown,
  cases: readonly RefusedConfig[],
  expected: { code: string; secret?: string }
): Promise<void> {
  for (const [config, message] of cases) {
    let thrown: unknown
    try {
      await create(config)
    } catch (err) {
      thrown = err
    }
    const err = (thrown ?? {}) as { code?: unknown; message?: unknown }
    t.ok(thrown !== undefined, `refused: ${message.source}`)
    t.equal(err.code, expected.code, `code for ${message.source}`)
    t.match(String(err.message), message)
    if (expected.secret !== undefined) t.notOk(String(err.message).includes(expected.secret), `${message.source}: the secret is not quoted`)
  }
}

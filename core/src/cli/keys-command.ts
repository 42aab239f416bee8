import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { ApiKeyInfo, ApiKeyManager, AuthenticatorInstance, Logger, Role, StorageInstance } from '@vedette/sdk'
import { DEFAULT_TENANT } from '@vedette/sdk'
import { KeyNotFoundError, KeysUnavailableError } from '../api/api-errors.js'
import { DURATION_PATTERN, parseDuration } from '../config/duration.js'
import { loadEngineConfig } from '../engine/load-engine-config.js'
import { pluginContext, pluginRequest } from '../plugins/plugin-context.js'
import { PluginLoader } from '../plugins/plugin-loader.js'
import { ENGINE_VERSION } from '../version.js'

export const KEYS_HELP = `Usage:
  vedette keys create --name NAME --role viewer|editor|admin [--expires WHEN] [--tenant T] [--config FILE] [--data-dir DIR]
  vedette keys list [--tenant T] [--config FILE] [--data-dir DIR]
  vedette keys revoke ID [--tenant T] [--config FILE] [--data-dir DIR]

Manages the API keys in the storage of the config (the bundled example without --config);
a running engine may share it. create prints the new key as its last line, this once only.
WHEN is an ISO 8601 date or date-time (2030-01-31, 2030-01-31T12:00:00Z) or a duration from
now (90d, 12h). The tenant is '${DEFAULT_TENANT}' unless --tenant says otherwise.`

const ROLES: readonly Role[] = ['viewer', 'editor', 'admin']
const APIKEY_PLUGIN = '@vedette/auth-apikey'

const options = {
  config: { type: 'string', short: 'c' },
  'data-dir': { type: 'string' },
  name: { type: 'string' },
  role: { type: 'string' },
  expires: { type: 'string' },
  tenant: { type: 'string' },
  help: { type: 'boolean', short: 'h' }
} as const

/** Flags each subcommand takes besides --config, --data-dir and --tenant. */
const OWN_FLAGS: Record<string, readonly string[]> = { create: ['name', 'role', 'expires'], list: [], revoke: [] }

type KeysFlags = { config?: string; 'data-dir'?: string; name?: string; role?: string; expires?: string; tenant?: string }

/** A mistake in the command line: exit 2 with the message and the usage. */
class UsageError extends Error {}

/**
 * `vedette keys create|list|revoke`: API key management from a shell, for the
 * first key of an install without the bootstrap key, for scripts, and for
 * revoking a leaked key when the API is out of reach.
 */
export async function keysCommand(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (err) {
    return usage(undefined, (err as Error).message)
  }
  const { values, positionals } = parsed
  if (values.help === true) {
    process.stdout.write(`${KEYS_HELP}\n`)
    return 0
  }
  const command = positionals[0]
  if (command === undefined || !(command in OWN_FLAGS)) {
    return usage(undefined, command === undefined ? 'name a subcommand: create, list or revoke' : `unknown subcommand '${command}'`)
  }
  try {
    for (const flag of ['name', 'role', 'expires'] as const) {
      if (values[flag] !== undefined && !OWN_FLAGS[command]?.includes(flag)) throw new UsageError(`--${flag} does not apply to ${command}`)
    }
    if (values.tenant !== undefined && values.tenant.trim() === '') throw new UsageError('--tenant must not be empty')
    const tenantId = values.tenant ?? DEFAULT_TENANT
    if (command === 'create') {
      if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`)
      const input = createInput(values)
      return await withKeys(values, (keys) => create(keys, { tenantId, ...input }))
    }
    if (command === 'list') {
      if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`)
      return await withKeys(values, (keys) => list(keys, tenantId))
    }
    const id = positionals[1]
    if (id === undefined || id.trim() === '') throw new UsageError('name the key to revoke: vedette keys revoke ID (ids are in `vedette keys list`)')
    if (positionals.length > 2) throw new UsageError(`unexpected argument '${positionals[2]}'`)
    return await withKeys(values, (keys) => revoke(keys, tenantId, id))
  } catch (err) {
    if (err instanceof UsageError) return usage(command, err.message)
    throw err
  }
}

function usage(command: string | undefined, message: string): number {
  process.stderr.write(`vedette keys${command === undefined ? '' : ` ${command}`}: ${message}\n\n${KEYS_HELP}\n`)
  return 2
}

function createInput(flags: KeysFlags): { name: string; role: Role; expiresAt?: number } {
  const name = flags.name?.trim()
  if (name === undefined || name === '') throw new UsageError('--name is required: what the key is for, e.g. --name ci-deploy')
  const role = flags.role
  if (role === undefined) throw new UsageError(`--role is required: one of ${ROLES.join(', ')}`)
  if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got '${role}'`)
  if (flags.expires === undefined) return { name, role: role as Role }
  return { name, role: role as Role, expiresAt: parseExpires(flags.expires) }
}

/** An ISO 8601 date or date-time, or a duration from now; in the future. */
export function parseExpires(value: string, now = Date.now()): number {
  const text = value.trim()
  let at: number
  if (new RegExp(DURATION_PATTERN).test(text)) at = now + parseDuration(text, '--expires')
  else if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(text)) at = Date.parse(text)
  else at = Number.NaN
  if (Number.isNaN(at)) throw new UsageError(`--expires must be an ISO 8601 date or date-time (2030-01-31T12:00:00Z) or a duration (90d), got '${value}'`)
  if (at <= now) throw new UsageError(`--expires must be in the future, got '${value}' (${new Date(at).toISOString()})`)
  return at
}

async function create(keys: ApiKeyManager, input: { tenantId: string; name: string; role: Role; expiresAt?: number }): Promise<number> {
  const { key, info } = await keys.create(input)
  const expires = info.expiresAt === undefined ? 'never expires' : `expires ${iso(info.expiresAt)}`
  process.stdout.write(
    `Created API key ${info.id} (name ${info.name}, role ${info.role}, tenant ${info.tenantId}, ${expires}).\n` +
      'Store it now: only its hash is kept, so it cannot be shown again.\n' +
      // Last on purpose: `vedette keys create ... | tail -n 1` is the key.
      `${key}\n`
  )
  return 0
}

async function list(keys: ApiKeyManager, tenantId: string): Promise<number> {
  const items = await keys.list(tenantId)
  if (items.length === 0) {
    process.stdout.write(`No API keys in tenant ${tenantId}.\n`)
    return 0
  }
  const now = Date.now()
  const rows = items.map((k) => [k.id, k.name, k.role, status(k, now), iso(k.createdAt), k.expiresAt === undefined ? '-' : iso(k.expiresAt), k.lastUsedAt === undefined ? '-' : iso(k.lastUsedAt)])
  const header = ['ID', 'NAME', 'ROLE', 'STATUS', 'CREATED', 'EXPIRES', 'LAST USED']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()
  process.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n`)
  return 0
}

async function revoke(keys: ApiKeyManager, tenantId: string, id: string): Promise<number> {
  if (!(await keys.revoke(tenantId, id))) throw new KeyNotFoundError(id)
  process.stdout.write(`Revoked API key ${id}: refused from now on (engines that verified it recently accept it until their cache TTL runs out).\n`)
  return 0
}

function status(k: ApiKeyInfo, now: number): string {
  if (k.revokedAt !== undefined) return 'revoked'
  if (k.expiresAt !== undefined && k.expiresAt <= now) return 'expired'
  return 'active'
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

/**
 * Opens the config's storage and its first key-issuing auth plugin the way
 * the engine does (same loader, same document namespace), runs `fn`, and
 * closes both. Auth plugins are read even with `auth.enabled: false`, so keys
 * can be made before authentication is switched on.
 */
async function withKeys(flags: KeysFlags, fn: (keys: ApiKeyManager) => Promise<number>): Promise<number> {
  const loaded = await loadEngineConfig(flags.config === undefined ? {} : { file: flags.config })
  const { config, baseDir } = loaded
  if (flags['data-dir'] !== undefined) config.dataDir = resolve(flags['data-dir'])
  const logger = stderrLogger()
  const loader = new PluginLoader({ engineVersion: ENGINE_VERSION, baseDir })
  // Auth plugins are loaded even with auth.enabled false: keys can be prepared before switching it on.
  const catalog = loader.catalog({ ...pluginRequest(config), auth: config.auth.plugins.map((p) => p.plugin) })
  mkdirSync(config.dataDir, { recursive: true })
  const storage: StorageInstance = await loader.createStorage(catalog.storage, config.storage.config, pluginContext(catalog.storage.name, config, baseDir, logger))
  await storage.start()
  let auth: AuthenticatorInstance | undefined
  try {
    for (const [i, desc] of catalog.auth.entries()) {
      const own = config.auth.plugins[i]?.config ?? {}
      // The bootstrap key is for a first engine start with no other way in; whoever runs this
      // command has that way, and a second admin key printed beside theirs would only confuse.
      const pluginConfig = desc.name === APIKEY_PLUGIN ? { ...own, bootstrapAdmin: false } : own
      const instance = await loader.createAuth(desc, pluginConfig, pluginContext(desc.name, config, baseDir, logger, storage))
      if (instance.keys === undefined) continue
      auth = instance
      break
    }
    if (auth?.keys === undefined) throw new KeysUnavailableError()
    await auth.start?.()
    return await fn(auth.keys)
  } finally {
    await auth?.stop?.()
    await storage.stop()
  }
}

/** Plugins' warnings and errors on stderr; stdout carries only the command's output (the key, last). */
function stderrLogger(): Logger {
  const write = (level: string) => (obj: unknown, msg?: string) => {
    const text = msg ?? (typeof obj === 'string' ? obj : obj instanceof Error ? obj.message : JSON.stringify(obj))
    process.stderr.write(`vedette keys: ${level}: ${text}\n`)
  }
  const logger: Logger = { trace() {}, debug() {}, info() {}, warn: write('warning'), error: write('error'), child: () => logger }
  return logger
}

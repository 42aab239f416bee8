import type { PluginContext } from './plugin-context.js'
import type { PluginHooks } from './hooks.js'
import { InvalidPluginDefinitionError } from './errors.js'
import { kAuthPlugin } from './symbols.js'

export type Role = 'viewer' | 'editor' | 'admin'

/** Who made a request, once an auth plugin has vouched for them. */
export interface Principal {
  id: string
  name: string
  tenantId: string
  role: Role
}

/** The parts of an HTTP request an authenticator may look at. */
export interface AuthRequest {
  method: string
  url: string
  headers: Readonly<Record<string, string | string[] | undefined>>
}

/** A stored API key as listed: never the secret. */
export interface ApiKeyInfo {
  id: string
  name: string
  role: Role
  tenantId: string
  createdAt: number
  expiresAt?: number
  revokedAt?: number
  lastUsedAt?: number
}

/** Key management, for auth plugins that issue keys; the engine's `/api/v1/keys` and `vedette keys` use it. */
export interface ApiKeyManager {
  /** The plaintext `key` is returned once and never stored. */
  create(input: { tenantId: string; name: string; role: Role; expiresAt?: number }): Promise<{ key: string; info: ApiKeyInfo }>
  list(tenantId: string): Promise<ApiKeyInfo[]>
  /** False when no such key. */
  revoke(tenantId: string, id: string): Promise<boolean>
}

export interface AuthenticatorInstance {
  /** Null when the request carries no credentials this plugin understands; throw for bad ones. */
  authenticate(request: AuthRequest): Promise<Principal | null>
  /** Present when the plugin issues keys. */
  keys?: ApiKeyManager
  start?(): Promise<void>
  stop?(): Promise<void>
}

export interface AuthDefinition<C> {
  create(config: C, ctx: PluginContext): AuthenticatorInstance | Promise<AuthenticatorInstance>
  hooks?: PluginHooks
}

export interface AuthPlugin<C = unknown> extends AuthDefinition<C> {
  readonly [kAuthPlugin]: true
}

/** Declares an auth plugin. */
export function defineAuth<C>(definition: AuthDefinition<C>): AuthPlugin<C> {
  if (definition === null || typeof definition !== 'object' || typeof definition.create !== 'function') {
    throw new InvalidPluginDefinitionError('auth', '`create` must be a function')
  }
  return Object.freeze({ ...definition, [kAuthPlugin]: true as const })
}

export function isAuthPlugin(value: unknown): value is AuthPlugin {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kAuthPlugin] === true
}

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

export interface AuthenticatorInstance {
  /** Null when the request carries no credentials this plugin understands; throw for bad ones. */
  authenticate(request: AuthRequest): Promise<Principal | null>
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

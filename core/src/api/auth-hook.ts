import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AuthenticatorInstance, Logger, Principal, Role } from '@vedette/sdk'
import { isVedetteError } from '@vedette/sdk'
import { AuthInvalidError, AuthRequiredError, ForbiddenError } from './api-errors.js'
import './fastify-types.js'

export interface AuthOptions {
  enabled: boolean
  authenticators: readonly AuthenticatorInstance[]
  /** /metrics without credentials. */
  publicMetrics: boolean
  logger: Logger
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 }

/** With auth switched off, every caller acts as this principal. */
export const ANONYMOUS_ADMIN: Principal = { id: 'anonymous', name: 'auth disabled', tenantId: 'default', role: 'admin' }

/**
 * Secure by default: every route under /api and /metrics needs a principal
 * from an auth plugin unless the route says `config: { public: true }`; then
 * the route's role (default viewer for reads, editor for writes) is checked.
 */
export function installAuth(app: FastifyInstance, options: AuthOptions): void {
  if (!options.enabled) {
    options.logger.warn('authentication is DISABLED by config (auth.enabled: false): anyone who can reach the port controls Vedette')
  }
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config
    if (config?.public === true) return
    const path = request.url
    const protectedPath = path.startsWith('/api/') || path === '/api' || (path.startsWith('/metrics') && !options.publicMetrics)
    if (!protectedPath) return
    const principal = options.enabled ? await authenticate(request, options.authenticators) : ANONYMOUS_ADMIN
    request.principal = principal
    const needed: Role = config?.role ?? (request.method === 'GET' || request.method === 'HEAD' ? 'viewer' : 'editor')
    if (RANK[principal.role] < RANK[needed]) throw new ForbiddenError(needed, principal.role)
  })
}

async function authenticate(request: FastifyRequest, authenticators: readonly AuthenticatorInstance[]): Promise<Principal> {
  const req = { method: request.method, url: request.url, headers: request.headers }
  for (const auth of authenticators) {
    let principal: Principal | null
    try {
      principal = await auth.authenticate(req)
    } catch (err) {
      // Plugins throw their own coded errors for bad credentials; anything else is "refused", never a 500 that leaks why.
      if (isVedetteError(err) && err.statusCode === 401) throw err
      throw new AuthInvalidError(isVedetteError(err) ? err.message : 'the credentials could not be verified')
    }
    if (principal !== null) return principal
  }
  throw new AuthRequiredError()
}

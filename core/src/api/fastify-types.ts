import type { Principal, Role } from '@vedette/sdk'

// Route options every API route may carry, and what the auth hook leaves on the request.
declare module 'fastify' {
  interface FastifyContextConfig {
    /** Least role that may call the route; default viewer for GET/HEAD, editor otherwise. */
    role?: Role
    /** No credentials needed (health, readiness, docs, heartbeats). */
    public?: boolean
  }
  interface FastifyRequest {
    principal?: Principal
  }
}

export {}

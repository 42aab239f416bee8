import type { FastifyRequest } from 'fastify'
import './fastify-types.js'

/** Who made a change, for config history: the key's name and id. */
export function author(request: FastifyRequest): string {
  const p = request.principal
  return p === undefined ? 'unknown' : `${p.name} (${p.id})`
}

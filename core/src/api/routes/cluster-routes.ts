import type { FastifyInstance } from 'fastify'
import type { ApiContext } from '../register-api.js'
import { errorResponses } from '../schemas/route-schemas.js'

const memberOut = {
  type: 'object',
  required: ['nodeId', 'startedAt', 'lastSeen', 'self', 'leader'],
  properties: {
    nodeId: { type: 'string' },
    address: { type: 'string' },
    startedAt: { type: 'integer' },
    lastSeen: { type: 'integer' },
    monitors: { type: 'integer', description: 'Monitors the node runs.' },
    version: { type: 'string' },
    self: { type: 'boolean', description: 'The node that answered.' },
    leader: { type: 'boolean', description: 'Runs the singleton jobs (retention, rollups).' }
  }
} as const

/** `GET /cluster`: the members, how many monitors each runs, who leads. A single node reports itself. */
export function clusterRoutes(app: FastifyInstance, { engine }: ApiContext): void {
  app.get(
    '/cluster',
    {
      schema: {
        tags: ['cluster'],
        summary: 'Cluster members, their monitor counts and leadership (a single node lists itself)',
        response: {
          200: {
            type: 'object',
            required: ['mode', 'nodeId', 'healthy', 'members'],
            properties: {
              mode: { enum: ['single', 'cluster'] },
              nodeId: { type: 'string' },
              leader: { type: 'string' },
              healthy: { type: 'boolean', description: 'False while the coordination backend (Redis) is unreachable: membership is frozen and no node leads.' },
              members: { type: 'array', items: memberOut }
            }
          },
          ...errorResponses(401, 403)
        }
      }
    },
    async () => {
      const cluster = engine.cluster
      if (cluster === undefined) {
        const self = { nodeId: 'local', startedAt: engine.scheduledAt ?? 0, lastSeen: Date.now(), monitors: engine.listMonitors().filter((m) => m.enabled).length, self: true, leader: true }
        return { mode: 'single' as const, nodeId: 'local', leader: 'local', healthy: true, members: [self] }
      }
      const described = cluster.describe()
      return {
        mode: 'cluster' as const,
        nodeId: described.nodeId,
        ...(described.leader === undefined ? {} : { leader: described.leader }),
        healthy: described.healthy,
        members: described.members.map((m) => ({
          nodeId: m.nodeId,
          ...(m.address === undefined ? {} : { address: m.address }),
          startedAt: m.startedAt,
          lastSeen: m.lastSeen,
          ...(typeof m.meta.monitors === 'number' ? { monitors: m.meta.monitors } : {}),
          ...(typeof m.meta.version === 'string' ? { version: m.meta.version } : {}),
          self: m.nodeId === described.nodeId,
          leader: m.nodeId === described.leader
        }))
      }
    }
  )
}

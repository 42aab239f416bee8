/** Small schema pieces the route modules share. */

export const errorResponses = (...statuses: number[]): Record<number, { $ref: string }> =>
  Object.fromEntries(statuses.map((s) => [s, { $ref: 'ErrorEnvelope#' }]))

export const idParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$', description: 'Monitor id' } }
} as const

export const pageQuery = {
  limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'Page size (at most 1,000).' },
  cursor: { type: 'string', description: 'The `nextCursor` of the previous page.' }
} as const

/** A monitor as the API returns it: the config-document form plus its id and type. */
export const monitorOut = {
  type: 'object',
  required: ['id', 'type', 'config'],
  additionalProperties: true,
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    type: { type: 'string' },
    interval: { type: ['string', 'integer'] },
    cron: { type: 'string' },
    timezone: { type: 'string' },
    timeout: { type: ['string', 'integer'] },
    enabled: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
    failureThreshold: { type: 'integer' },
    recoveryThreshold: { type: 'integer' },
    config: { type: 'object', additionalProperties: true }
  }
} as const

export const versionOut = {
  type: 'object',
  required: ['version', 'author', 'at', 'summary'],
  properties: { version: { type: 'integer' }, author: { type: 'string' }, at: { type: 'integer' }, summary: { type: 'string' } }
} as const

export const monitorStatusOut = {
  type: 'object',
  required: ['id', 'status', 'since'],
  properties: {
    id: { type: 'string' },
    status: { enum: ['pending', 'up', 'degraded', 'down', 'paused', 'maintenance'] },
    since: { type: 'integer' },
    reason: { type: 'string' },
    nextRunAt: { type: 'integer' },
    lastResult: { $ref: 'CheckResult#' },
    incident: { $ref: 'Incident#' },
    maintenance: {
      type: 'object',
      description: 'The maintenance window the monitor is in: `pause` stops its checks, `suppress` keeps checking and holds back alerts. `status` is `maintenance` meanwhile; `underlyingStatus` is what the checks say.',
      required: ['id', 'mode', 'until'],
      properties: { id: { type: 'string' }, mode: { enum: ['suppress', 'pause'] }, until: { type: 'integer' } }
    },
    underlyingStatus: { enum: ['pending', 'up', 'degraded', 'down', 'paused', 'maintenance'] }
  }
} as const

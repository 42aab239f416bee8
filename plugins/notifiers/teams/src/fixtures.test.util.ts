// Test-only helpers (the `.test.` in the name keeps them out of the published files).
import { createServer } from 'node:http'
import type { IncomingHttpHeaders, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Notification, NotificationAlert, PluginContext } from '@vedette/sdk'
import { silentLogger } from '@vedette/sdk'
import type { Test } from 'tap'

const T0 = Date.UTC(2026, 0, 15, 9, 30, 0)

/** One firing alert on `checkout-api`; override any field. */
export function alert(overrides: Partial<NotificationAlert> = {}): NotificationAlert {
  return {
    id: 'alrt_01',
    dedupKey: 'rule-down:checkout-api',
    ruleId: 'rule-down',
    monitorId: 'checkout-api',
    monitorName: 'Checkout API',
    severity: 'critical',
    status: 'firing',
    summary: '3 consecutive failures: HTTP 503',
    monitorStatus: 'down',
    startedAt: T0,
    failedAssertions: [{ assertion: 'status in 200..299', actual: 503, expected: '200..299', severity: 'critical' }],
    url: 'https://vedette.example/api/v1/alerts/alrt_01',
    ...overrides
  }
}

/** A notification about `alerts` (one firing alert by default). */
export function notification(overrides: Partial<Notification> = {}): Notification {
  return {
    idempotencyKey: 'ntf_alrt_01_firing_ops',
    event: 'firing',
    title: '[FIRING] Checkout API is down',
    text: 'Checkout API is down: 3 consecutive failures: HTTP 503',
    severity: 'critical',
    alerts: [alert()],
    createdAt: T0 + 5000,
    data: {},
    ...overrides
  }
}

export function resolvedNotification(): Notification {
  return notification({
    idempotencyKey: 'ntf_alrt_01_resolved_ops',
    event: 'resolved',
    title: '[RESOLVED] Checkout API is up',
    text: 'Checkout API recovered after 4 minutes',
    alerts: [alert({ status: 'resolved', monitorStatus: 'up', resolvedAt: T0 + 240_000, failedAssertions: [] })]
  })
}

/** A grouped notification carrying `n` alerts of mixed severity. */
export function groupedNotification(n = 3): Notification {
  const alerts = Array.from({ length: n }, (_, i) =>
    alert({
      id: `alrt_g${i}`,
      dedupKey: `rule-latency:svc-${i}`,
      ruleId: 'rule-latency',
      monitorId: `svc-${i}`,
      monitorName: `Service ${i}`,
      severity: i === 0 ? 'critical' : 'warning',
      summary: `p95 latency ${900 + i} ms above 800 ms`,
      url: `https://vedette.example/api/v1/alerts/alrt_g${i}`,
      failedAssertions: [{ assertion: 'latency < 800', actual: 900 + i, expected: 800, severity: i === 0 ? 'critical' : 'warning' }]
    })
  )
  return notification({
    idempotencyKey: `ntf_group_${n}_ops`,
    title: `[FIRING] ${n} alerts`,
    text: alerts.map((a) => `${a.monitorName}: ${a.summary}`).join('\n'),
    alerts
  })
}

export const ctx: PluginContext = {
  name: '@vedette/notifier-test',
  engineVersion: '0.1.0',
  dataDir: '/tmp',
  resolvePath: (p: string) => p,
  logger: silentLogger
}

export interface ReceivedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  /** The raw body bytes, as signed. */
  raw: Buffer
  body: string
}

/**
 * A real HTTP receiver on 127.0.0.1. `respond` answers each request (or
 * does not, to play a hung receiver); everything closes when `t` ends.
 */
export async function receiver(
  t: Test,
  respond: (req: ReceivedRequest, res: ServerResponse) => void = (_req, res) => res.end('ok')
): Promise<{ base: string; requests: ReceivedRequest[] }> {
  const requests: ReceivedRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks)
      const received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, body: raw.toString('utf8') }
      requests.push(received)
      respond(received, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests }
}

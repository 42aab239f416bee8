import t from 'tap'
import type { CheckResult, CheckStatus } from '@vedette/sdk'
import { StateEngine } from './state-engine.js'

const subject = { tenantId: 'default', id: 'api', failureThreshold: 3, recoveryThreshold: 2 }
let clock = 0
const r = (status: CheckStatus, message?: string): CheckResult => ({
  tenantId: 'default',
  monitorId: 'api',
  startedAt: (clock += 1000),
  latencyMs: 10,
  status,
  ...(message ? { message } : {})
})

function feed(engine: StateEngine, statuses: CheckStatus[]): string[] {
  const moves: string[] = []
  for (const s of statuses) {
    const e = engine.observe(subject, r(s))
    if (e) moves.push(`${e.from}->${e.to}`)
  }
  return moves
}

t.test('first up result leaves pending at once', async (t) => {
  const engine = new StateEngine()
  t.same(feed(engine, ['up']), ['pending->up'])
})

t.test('down only after failureThreshold consecutive failures', async (t) => {
  const engine = new StateEngine()
  t.same(feed(engine, ['up', 'down', 'down', 'up', 'down', 'down']), ['pending->up'], 'an up breaks the streak')
  const e = engine.observe(subject, r('down', 'connection refused'))
  t.match(e, { from: 'up', to: 'down', reason: 'connection refused', monitorId: 'api', tenantId: 'default' })
  t.equal(engine.get('default', 'api')?.status, 'down')
})

t.test('recovery after recoveryThreshold consecutive successes', async (t) => {
  const engine = new StateEngine()
  feed(engine, ['up', 'down', 'down', 'down'])
  t.same(feed(engine, ['up', 'down', 'up']), [], 'one success is not enough with recoveryThreshold 2')
  t.same(feed(engine, ['up']), ['down->up'])
})

t.test('degraded is its own state; worse and better moves both count', async (t) => {
  const engine = new StateEngine()
  t.same(feed(engine, ['up', 'degraded', 'degraded', 'degraded']), ['pending->up', 'up->degraded'])
  t.same(feed(engine, ['down', 'down', 'down']), ['degraded->down'])
  t.same(feed(engine, ['degraded', 'degraded']), ['down->degraded'])
})

t.test('unknown results count neither way', async (t) => {
  const engine = new StateEngine()
  t.same(feed(engine, ['up', 'down', 'unknown', 'down', 'unknown', 'down']), ['pending->up', 'up->down'])
})

t.test('a pending monitor that never succeeds still goes down after the threshold', async (t) => {
  const engine = new StateEngine()
  t.same(feed(engine, ['down', 'down', 'down']), ['pending->down'])
})

t.test('paused monitors ignore late results; set() emits explicit transitions', async (t) => {
  const engine = new StateEngine()
  feed(engine, ['up'])
  t.match(engine.set(subject, 'paused', 'paused by request'), { from: 'up', to: 'paused' })
  t.same(feed(engine, ['down', 'down', 'down']), [])
  t.equal(engine.set(subject, 'paused', 'again'), undefined, 'no event when nothing changes')
})

t.test('restore seeds kept states after a restart', async (t) => {
  const engine = new StateEngine()
  engine.restore([{ tenantId: 'default', monitorId: 'api', status: 'down', since: 5, reason: 'x' }])
  t.same(feed(engine, ['up', 'up']), ['down->up'])
})

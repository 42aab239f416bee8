import t from 'tap'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../test-support.js'
import { getJson, isolation, PG_URL, REDIS_URL, requireServices, startNode } from './cluster.test.util.js'
import type { Node } from './cluster.test.util.js'

const MONITORS = 500
const INTERVAL_S = 2

interface ClusterView {
  mode: string
  members: Array<{ nodeId: string; monitors?: number; leader: boolean; self: boolean }>
}

async function waitFor<T>(read: () => Promise<T> | T, ok: (v: T) => boolean, what: string, limitMs: number): Promise<T> {
  const until = Date.now() + limitMs
  for (;;) {
    const v = await read()
    if (ok(v)) return v
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(v)?.slice(0, 400)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

t.test('three nodes: each monitor runs on exactly one node; kill -9 moves its monitors within 10 s; a storm of alerts during the failover is notified exactly once', async (t) => {
  if (!(await requireServices(t))) return
  const { schema, prefix } = isolation(t)
  const dir = mkdtempSync(join(tmpdir(), 'vedette-cluster-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))

  // The target counts requests per monitor; `down` makes every monitor fail.
  let down = false
  const hits = new Map<string, number[]>()
  const target = createServer((req, res) => {
    const id = (req.url ?? '').slice(1)
    hits.set(id, [...(hits.get(id) ?? []), Date.now()])
    res.statusCode = down ? 500 : 200
    res.end()
  })
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r))
  t.teardown(() => new Promise((r) => target.close(r)))
  const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`

  const firing: Array<{ key: string; alertIds: string[]; monitors: string[] }> = []
  const receiver = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      const payload = JSON.parse(body) as { event: string; idempotencyKey: string; alerts: Array<{ id: string; monitorId: string; summary: string }> }
      if (payload.event === 'firing') firing.push({ key: payload.idempotencyKey, alertIds: payload.alerts.map((a) => a.id), monitors: payload.alerts.map((a) => `${a.monitorId}: ${a.summary}`) })
      res.end()
    })
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  t.teardown(() => new Promise((r) => receiver.close(r)))
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`

  const monitors = Array.from({ length: MONITORS }, (_, i) => `  - { id: m${i}, type: http, interval: ${INTERVAL_S}s, timeout: 1s, config: { url: '${targetUrl}/m${i}' } }`).join('\n')
  const config = join(dir, 'vedette.yaml')
  writeFileSync(
    config,
    [
      `storage: { plugin: postgres, config: { url: '${PG_URL}', schema: ${schema} } }`,
      `cluster: { plugin: redis, nodeId: '\${NODE_ID}', config: { url: '${REDIS_URL}', prefix: '${prefix}' } }`,
      'auth: { enabled: false }',
      'engine: { workers: 1 }',
      'channels:',
      `  - { id: hook, type: webhook, config: { url: '${hookUrl}' } }`,
      'alerts:',
      '  rules:',
      '    - { id: down, kind: consecutive, threshold: 2, channels: [hook] }',
      'monitors:',
      monitors,
      ''
    ].join('\n')
  )
  const nodes: Node[] = []
  for (const id of ['a', 'b']) nodes.push(startNode(t, config, id, await freePort(), join(dir, id)))
  const dumpLogs = (err: Error): never => {
    for (const n of nodes) t.comment(`node ${n.id}:\n${n.log().slice(-3000)}`)
    throw err
  }
  await waitFor(
    () => getJson<ClusterView>(`${nodes[0]!.url}/api/v1/cluster`),
    (v) => v !== undefined && v.members.length === 2 && v.members.every((m) => (m.monitors ?? 0) > 0),
    'two members sharing the monitors',
    40_000
  ).catch(dumpLogs)
  // A third node joins: it takes its share within 10 s of being up.
  nodes.push(startNode(t, config, 'c', await freePort(), join(dir, 'c')))
  await waitFor(() => getJson<ClusterView>(`${nodes[2]!.url}/api/v1/cluster`), (v) => v !== undefined, 'node c answering', 40_000).catch(dumpLogs)
  const upAt = Date.now()
  const view = await waitFor(
    () => getJson<ClusterView>(`${nodes[0]!.url}/api/v1/cluster`),
    (v) => v !== undefined && v.members.length === 3 && v.members.every((m) => (m.monitors ?? 0) > 0) && v.members.reduce((n, m) => n + (m.monitors ?? 0), 0) === MONITORS,
    'three members sharing every monitor',
    40_000
  ).catch(dumpLogs)
  t.ok(Date.now() - upAt < 10_000, `the joining node took its share ${Date.now() - upAt} ms after it was up`)
  t.equal(view!.mode, 'cluster')
  t.equal(view!.members.filter((m) => m.leader).length, 1, 'one leader')
  t.ok(view!.members.every((m) => (m.monitors ?? 0) > MONITORS / 6), `shares: ${view!.members.map((m) => `${m.nodeId}=${m.monitors}`).join(' ')}`)

  // Steady state: over 5 intervals, each monitor is checked once per interval — never twice.
  await new Promise((r) => setTimeout(r, 3000))
  const from = Date.now()
  await new Promise((r) => setTimeout(r, INTERVAL_S * 5 * 1000))
  const to = Date.now()
  let doubled = 0
  let missing = 0
  for (let i = 0; i < MONITORS; i++) {
    const times = (hits.get(`m${i}`) ?? []).filter((h) => h >= from && h < to)
    if (times.length < 4) missing++
    if (times.length > 6 || times.some((h, j) => j > 0 && h - times[j - 1]! < (INTERVAL_S * 1000) / 2)) doubled++
  }
  if (doubled > 0 || missing > 0) {
    for (const n of nodes) t.comment(`node ${n.id}: ${n.log().split('\n').filter((l) => /cluster members|rebalanced|coordinator|leads/.test(l)).join('\n')}`)
  }
  t.equal(doubled, 0, 'no monitor was checked twice in one interval')
  t.equal(missing, 0, 'every monitor was checked every interval')

  // A config change made on one node reaches the others within a second.
  const added = await fetch(`${nodes[0]!.url}/api/v1/monitors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'late-comer', type: 'http', interval: '1h', config: { url: `${targetUrl}/late-comer` } })
  })
  t.equal(added.status, 201)
  const changedAt = Date.now()
  await Promise.all(
    nodes.slice(1).map((n) => waitFor(() => fetch(`${n.url}/api/v1/monitors/late-comer`).then((r) => r.status), (code) => code === 200, `the new monitor on node ${n.id}`, 5000))
  )
  t.ok(Date.now() - changedAt < 1000, `config change seen on every node after ${Date.now() - changedAt} ms`)
  await fetch(`${nodes[1]!.url}/api/v1/monitors/late-comer`, { method: 'DELETE' })

  // Failover during an alert storm: every target fails and node c is killed at once.
  const killed = nodes[2]!
  down = true
  const killedAt = Date.now()
  killed.proc.kill('SIGKILL')
  const orphans = [...Array(MONITORS).keys()].map((i) => `m${i}`)
  // Every monitor, c's included, is checked again within 10 s of the kill.
  const resumed = await waitFor(
    () => orphans.filter((id) => !(hits.get(id) ?? []).some((h) => h > killedAt + (INTERVAL_S * 1000)) ),
    (left) => left.length === 0,
    'every monitor checked again after the kill',
    15_000
  )
  t.same(resumed, [])
  const lastResume = Math.max(...orphans.map((id) => (hits.get(id) ?? []).find((h) => h > killedAt + INTERVAL_S * 1000) ?? 0))
  t.ok(lastResume - killedAt < 10_000 + INTERVAL_S * 1000, `the killed node's monitors ran again ${lastResume - killedAt} ms after kill -9`)

  await waitFor(() => new Set(firing.flatMap((f) => f.alertIds)).size, (n) => n >= MONITORS, `${MONITORS} alerts notified`, 40_000)
  await new Promise((r) => setTimeout(r, 3000))
  const alertIds = firing.flatMap((f) => f.alertIds)
  const seen = new Map<string, number>()
  for (const id of alertIds) seen.set(id, (seen.get(id) ?? 0) + 1)
  const twice = [...seen].filter(([, n]) => n > 1)
  const perMonitor = new Map<string, number>()
  for (const m of firing.flatMap((f) => f.monitors)) perMonitor.set(m.split(':')[0]!, (perMonitor.get(m.split(':')[0]!) ?? 0) + 1)
  const again = [...perMonitor].filter(([, n]) => n > 1).map(([m]) => m)
  if (again.length > 0) t.comment(`monitors alerted twice: ${JSON.stringify(firing.flatMap((f) => f.monitors).filter((m) => again.slice(0, 3).includes(m.split(':')[0]!)))}`)
  if (twice.length > 0) t.comment(`notified more than once: ${JSON.stringify(twice.slice(0, 5))} keys ${JSON.stringify(firing.filter((f) => f.alertIds.includes(twice[0]![0])).map((f) => f.key))}`)
  t.equal(new Set(alertIds).size, MONITORS, 'one alert per monitor')
  t.equal(alertIds.length, MONITORS, 'no alert notified twice')
  t.equal(new Set(firing.map((f) => f.key)).size, firing.length, 'no idempotency key delivered twice')
  const survivors = await getJson<ClusterView>(`${nodes[0]!.url}/api/v1/cluster`)
  t.equal(survivors?.members.length, 2, 'the killed node left the member list')
  for (const n of nodes.slice(0, 2)) n.proc.kill('SIGTERM')
  await Promise.all(nodes.slice(0, 2).map((n) => new Promise((r) => (n.proc.exitCode !== null ? r(undefined) : n.proc.once('exit', r)))))
})

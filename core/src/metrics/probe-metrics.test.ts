import t from 'tap'
import type { CheckResult, MonitorStatus } from '@vedette/sdk'
import type { Monitor } from '../config/types.js'
import { testMonitor } from '../engine/test-config.js'
import { ProbeMetrics } from './probe-metrics.js'
import type { ProbeSource } from './probe-metrics.js'

interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

/** Samples of an exposition, label values unescaped. */
function parse(text: string): Sample[] {
  const out: Sample[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (m === null) throw new Error(`not an exposition line: ${line}`)
    const labels: Record<string, string> = {}
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))
    }
    out.push({ name: m[1] as string, labels, value: Number(m[3]) })
  }
  return out
}

function render(probes: ProbeMetrics): string {
  return [...probes.render()].join('')
}

/** A mutable set of monitors standing in for the engine. */
class FakeSource implements ProbeSource {
  readonly byKey = new Map<string, Monitor>()
  readonly statuses = new Map<string, MonitorStatus>()
  constructor(monitors: Monitor[]) {
    for (const m of monitors) this.put(m)
  }
  put(m: Monitor): void {
    this.byKey.set(`${m.tenantId}/${m.id}`, m)
  }
  remove(m: Monitor): void {
    this.byKey.delete(`${m.tenantId}/${m.id}`)
  }
  monitors(): Iterable<Monitor> {
    return this.byKey.values()
  }
  current(tenantId: string, id: string): Monitor | undefined {
    return this.byKey.get(`${tenantId}/${id}`)
  }
  status(m: Monitor): MonitorStatus | undefined {
    return this.statuses.get(`${m.tenantId}/${m.id}`)
  }
}

function result(m: Monitor, extra: Partial<CheckResult> = {}): CheckResult {
  return { tenantId: m.tenantId, monitorId: m.id, startedAt: Date.UTC(2026, 0, 1), latencyMs: 42, status: 'up', ...extra }
}

const api = testMonitor('api', 'http', {}, { tags: ['web', 'prod', 'web'] })
const db = testMonitor('db', 'tcp', {})

t.test('probe series of a run: success, duration, phases, certificate, status', async (t) => {
  const source = new FakeSource([api, db])
  source.statuses.set('default/api', 'degraded')
  const probes = new ProbeMetrics(source)
  probes.record(result(api, { status: 'degraded', phases: { dns: 1, connect: 2.5, ttfb: 30 }, observations: { certNotAfter: '2030-01-01T00:00:00Z' } }), api)
  probes.record(result(db, { status: 'down', latencyMs: 5, phases: { connect: 5 } }), db)
  const samples = parse(render(probes))
  const labels = { monitor: 'api', tenant: 'default', type: 'http', tags: 'prod,web' }
  t.same(samples.find((s) => s.name === 'vedette_probe_success' && s.labels.monitor === 'api'), { name: 'vedette_probe_success', labels, value: 1 }, 'degraded counts as success; tags sorted, deduplicated, one label')
  t.equal(samples.find((s) => s.name === 'vedette_probe_success' && s.labels.monitor === 'db')?.value, 0, 'down is 0')
  t.equal(samples.find((s) => s.name === 'vedette_probe_duration_seconds' && s.labels.monitor === 'api')?.value, 0.042)
  t.same(
    samples.filter((s) => s.name === 'vedette_probe_phase_duration_seconds' && s.labels.monitor === 'api').map((s) => [s.labels.phase, s.value]),
    [['dns', 0.001], ['connect', 0.0025], ['ttfb', 0.03]]
  )
  t.equal(samples.find((s) => s.name === 'vedette_probe_ssl_earliest_cert_expiry' && s.labels.monitor === 'api')?.value, 1893456000)
  t.notOk(samples.some((s) => s.name === 'vedette_probe_ssl_earliest_cert_expiry' && s.labels.monitor === 'db'), 'no certificate, no series')
  t.equal(samples.find((s) => s.name === 'vedette_monitor_status' && s.labels.monitor === 'api')?.value, 4, 'degraded is 4')
  t.equal(samples.find((s) => s.name === 'vedette_monitor_status' && s.labels.monitor === 'db')?.value, 2, 'no kept state yet is pending (2)')
})

t.test('a monitor that never ran has a status and no probe series', async (t) => {
  const probes = new ProbeMetrics(new FakeSource([api]))
  const text = render(probes)
  t.same(parse(text).map((s) => s.name), ['vedette_monitor_status'])
  t.notMatch(text, /vedette_probe_success/, 'families without samples are left out, HELP and TYPE included')
})

t.test('removed and disabled monitors lose their series; late results do not bring them back', async (t) => {
  const source = new FakeSource([api, db])
  const probes = new ProbeMetrics(source)
  probes.record(result(api), api)
  probes.record(result(db), db)
  t.match(render(probes), /monitor="db"/)
  source.remove(db)
  probes.record(result(db), db) // a run that was in flight during the removal
  t.notMatch(render(probes), /monitor="db"/, 'gone from every family')
  t.equal(probes.size, 1, 'and its entry is dropped')
  source.put({ ...api, enabled: false })
  t.equal(render(probes), '', 'a disabled monitor has no series at all')
})

t.test('an upsert relabels the series and forgets the certificate', async (t) => {
  const source = new FakeSource([api])
  const probes = new ProbeMetrics(source)
  probes.record(result(api, { observations: { daysUntilExpiry: 30 } }), api)
  t.match(render(probes), /vedette_probe_ssl_earliest_cert_expiry\{monitor="api",tenant="default",type="http",tags="prod,web"\}/)
  const moved = { ...api, type: 'tcp', tags: ['db'] }
  source.put(moved)
  const samples = parse(render(probes))
  t.ok(samples.every((s) => s.labels.type === 'tcp' && s.labels.tags === 'db'), 'no series keeps the old labels')
  t.notOk(samples.some((s) => s.name === 'vedette_probe_ssl_earliest_cert_expiry'), 'only a new result may vouch for a certificate')
  t.ok(samples.some((s) => s.name === 'vedette_probe_success'), 'the last result is still shown')
})

t.test('an overloaded run fails the probe but keeps the last measured duration and phases', async (t) => {
  const probes = new ProbeMetrics(new FakeSource([api]))
  probes.record(result(api, { status: 'unknown', reason: 'overloaded', latencyMs: 0 }), api)
  t.same(parse(render(probes)).map((s) => `${s.name} ${s.value}`), ['vedette_monitor_status 2', 'vedette_probe_success 0'], 'never reached the target: no duration yet')
  probes.record(result(api, { latencyMs: 80, phases: { connect: 3 } }), api)
  probes.record(result(api, { status: 'unknown', reason: 'overloaded', latencyMs: 0 }), api)
  const samples = parse(render(probes))
  t.equal(samples.find((s) => s.name === 'vedette_probe_success')?.value, 0)
  t.equal(samples.find((s) => s.name === 'vedette_probe_duration_seconds')?.value, 0.08)
  t.equal(samples.find((s) => s.name === 'vedette_probe_phase_duration_seconds')?.value, 0.003)
  probes.record(result(api, { status: 'down', latencyMs: 10, phases: { dns: 1 } }), api)
  t.same(parse(render(probes)).filter((s) => s.name === 'vedette_probe_phase_duration_seconds').map((s) => s.labels.phase), ['dns'], 'a run that measured phases replaces the whole set')
})

t.test('label values are escaped and tenants do not collide', async (t) => {
  const odd = testMonitor('a"b\\c\nd', 'http', {}, { tags: ['x"y'] })
  const other = { ...api, tenantId: 'acme' }
  const probes = new ProbeMetrics(new FakeSource([odd, api, other]))
  probes.record(result(odd, { phases: { 'we"ird': 1 } }), odd)
  const text = render(probes)
  t.match(text, 'monitor="a\\"b\\\\c\\nd"')
  const samples = parse(text)
  t.equal(samples.find((s) => s.name === 'vedette_probe_phase_duration_seconds')?.labels.phase, 'we"ird')
  t.equal(samples.filter((s) => s.name === 'vedette_monitor_status' && s.labels.monitor === 'api').length, 2, 'same id in two tenants: two series')
  t.same(new Set(samples.filter((s) => s.labels.monitor === 'api').map((s) => s.labels.tenant)), new Set(['default', 'acme']))
})

t.test('chunks hold whole families in order, each series once', async (t) => {
  const monitors = Array.from({ length: 25 }, (_, i) => testMonitor(`m${i}`, 'http', {}))
  const source = new FakeSource(monitors)
  const probes = new ProbeMetrics(source, { chunkSize: 4 })
  for (const m of monitors) probes.record(result(m, { phases: { dns: 1, connect: 2 } }), m)
  const chunks = [...probes.render()]
  t.equal(chunks.length, 4 * 7, "4 families of 25 monitors in chunks of at most 4")
  const text = chunks.join('')
  const samples = parse(text)
  t.equal(samples.length, 25 * 5, 'status, success, duration and two phases per monitor')
  const keys = samples.map((s) => `${s.name}${JSON.stringify(s.labels)}`)
  t.equal(new Set(keys).size, keys.length, 'no duplicate series')
  const order = [...text.matchAll(/^# TYPE (\S+) gauge$/gm)].map((m) => m[1])
  t.same(order, ['vedette_monitor_status', 'vedette_probe_success', 'vedette_probe_duration_seconds', 'vedette_probe_phase_duration_seconds'])
  const firstOf = (name: string): number => samples.findIndex((s) => s.name === name)
  const lastOf = (name: string): number => samples.map((s) => s.name).lastIndexOf(name)
  t.ok(lastOf('vedette_monitor_status') < firstOf('vedette_probe_success') && lastOf('vedette_probe_success') < firstOf('vedette_probe_duration_seconds'), 'each family is contiguous')
  t.throws(() => new ProbeMetrics(source, { chunkSize: 0 }), RangeError)
})

t.test('an engine nobody scrapes does not keep monitors it no longer has', async (t) => {
  const source = new FakeSource([])
  const probes = new ProbeMetrics(source)
  for (let i = 0; i < 5000; i++) {
    const m = testMonitor(`churn-${i}`, 'http', {})
    source.put(m)
    probes.record(result(m), m)
    source.remove(m)
  }
  t.ok(probes.size <= 1025, `${probes.size} entries left after 5,000 monitors came and went`)
})

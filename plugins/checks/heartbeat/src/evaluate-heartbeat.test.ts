import t from 'tap'
import type { PushPing } from '@vedette/sdk'
import { compileHeartbeatConfig, type HeartbeatConfig } from './config.js'
import { evaluateHeartbeat } from './evaluate-heartbeat.js'

const at = (iso: string): number => Date.parse(iso)
const MIN = 60_000

function judge(config: HeartbeatConfig, pings: PushPing[], now: number, since = now - 30 * 24 * 60 * MIN) {
  const problems: string[] = []
  const compiled = compileHeartbeatConfig(config, problems)
  if (compiled === undefined) throw new Error(problems.join('; '))
  // The engine hands pings newest first.
  return evaluateHeartbeat(compiled, { pings: [...pings].sort((a, b) => b.at - a.at), since, now })
}

t.test('period + grace: on time is up, late is down, the first ping is awaited', async (t) => {
  const base = at('2026-03-01T12:00:00Z')
  const config = { period: '1h', grace: '5m' }
  const fresh = judge(config, [], base + 30 * MIN, base)
  t.equal(fresh.status, 'unknown', 'nothing to judge before the first success is due')
  t.match(fresh.message, /waiting for the first success ping/)
  t.equal(judge(config, [], base + 66 * MIN, base).status, 'down', 'never pinged and past period + grace')

  const ok = judge(config, [{ at: base, kind: 'success' }], base + 64 * MIN)
  t.equal(ok.status, 'up', 'within grace of the period')
  t.equal(ok.observations?.nextExpectedAt, base + 60 * MIN)
  const late = judge(config, [{ at: base, kind: 'success' }], base + 65 * MIN)
  t.equal(late.status, 'down')
  t.equal(late.observations?.state, 'late')
  t.equal(late.observations?.lateByMs, 5 * MIN)
  t.match(late.message, /missing: a success was due 2026-03-01T13:00:00.000Z \(grace 5m\)/)
})

t.test('/fail and non-zero exit codes are down until the next success', async (t) => {
  const base = at('2026-03-01T12:00:00Z')
  const config = { period: '1h', grace: '5m' }
  const failed = judge(config, [{ at: base, kind: 'success' }, { at: base + MIN, kind: 'fail', body: 'disk full\nmore' }], base + 2 * MIN)
  t.equal(failed.status, 'down')
  t.equal(failed.observations?.state, 'failed')
  t.match(failed.message, /reported failure at .*: disk full$/)
  t.equal(failed.observations?.log, 'disk full\nmore')

  const exit3 = judge(config, [{ at: base, kind: 'exit', exitCode: 3 }], base + MIN)
  t.equal(exit3.status, 'down')
  t.match(exit3.message, /with exit code 3/)
  t.equal(exit3.observations?.lastExitCode, 3)

  const exit0 = judge(config, [{ at: base, kind: 'exit', exitCode: 0 }], base + MIN)
  t.equal(exit0.status, 'up', 'exit code 0 is a success')
  const recovered = judge(config, [{ at: base, kind: 'fail' }, { at: base + MIN, kind: 'success' }], base + 2 * MIN)
  t.equal(recovered.status, 'up')
})

t.test('a start without success within grace is down; durations are measured', async (t) => {
  const base = at('2026-03-01T12:00:00Z')
  const config = { period: '1h', grace: '5m' }
  const running = judge(config, [{ at: base, kind: 'success' }, { at: base + 10 * MIN, kind: 'start' }], base + 14 * MIN)
  t.equal(running.status, 'up')
  t.equal(running.observations?.state, 'running')
  t.equal(running.observations?.openRuns, 1)
  const stuck = judge(config, [{ at: base, kind: 'success' }, { at: base + 10 * MIN, kind: 'start', runId: 'r1' }], base + 15 * MIN)
  t.equal(stuck.status, 'down')
  t.equal(stuck.observations?.state, 'stuck')
  t.match(stuck.message, /\(run r1\) has not finished within grace 5m/)

  const done = judge(config, [{ at: base, kind: 'start' }, { at: base + 90_000, kind: 'success' }], base + 2 * MIN)
  t.equal(done.status, 'up')
  t.equal(done.observations?.lastDurationMs, 90_000)
  t.same(done.metrics, [{ label: 'duration', value: 90_000, unit: 'ms', min: 0 }])
  t.match(done.message, /in 90s/)

  // Overlapping runs told apart by run id: a's finish does not close b.
  const overlap = judge(
    config,
    [
      { at: base, kind: 'start', runId: 'a' },
      { at: base + MIN, kind: 'start', runId: 'b' },
      { at: base + 2 * MIN, kind: 'success', runId: 'a' }
    ],
    base + 3 * MIN
  )
  t.equal(overlap.observations?.lastDurationMs, 2 * MIN, 'a ran from its own start')
  t.equal(overlap.observations?.openRuns, 1, 'b is still running')
  t.equal(judge(config, [{ at: base, kind: 'start', runId: 'a' }, { at: base + MIN, kind: 'start', runId: 'b' }, { at: base + 2 * MIN, kind: 'success', runId: 'a' }], base + 7 * MIN).status, 'down', 'b overran grace')
})

t.test('cron + timezone: the occurrence is read in the zone, across DST', async (t) => {
  // 03:00 in Paris is 02:00 UTC in winter (CET) and 01:00 UTC in summer (CEST).
  const config = { cron: '0 3 * * *', timezone: 'Europe/Paris', grace: '10m' }
  const yesterday = { at: at('2026-01-14T02:01:00Z'), kind: 'success' as const }
  t.equal(judge(config, [yesterday], at('2026-01-15T02:05:00Z')).status, 'up', 'within grace of 02:00 UTC')
  const missed = judge(config, [yesterday], at('2026-01-15T02:10:00Z'))
  t.equal(missed.status, 'down', 'grace over: 03:00 Paris passed without a success')
  t.match(missed.message, /due 2026-01-15T02:00:00.000Z/)
  const today = { at: at('2026-01-15T02:03:00Z'), kind: 'success' as const }
  t.equal(judge(config, [yesterday, today], at('2026-01-15T03:30:00Z')).status, 'up', 'a run at 03:03 Paris answers 03:00 Paris (it would be late for 03:00 UTC)')
  t.equal(judge(config, [yesterday, today], at('2026-01-15T03:30:00Z')).observations?.nextExpectedAt, at('2026-01-16T02:00:00Z'))

  const summerRun = { at: at('2026-07-15T01:02:00Z'), kind: 'success' as const }
  t.equal(judge(config, [summerRun], at('2026-07-15T01:30:00Z')).status, 'up', 'summer: 03:00 CEST is 01:00 UTC')
  t.equal(judge(config, [{ at: at('2026-07-14T01:02:00Z'), kind: 'success' }], at('2026-07-15T01:10:00Z')).status, 'down')
  // A job whose clock runs a minute ahead still answers its occurrence.
  t.equal(judge(config, [{ at: at('2026-01-15T01:59:00Z'), kind: 'success' }], at('2026-01-15T02:30:00Z')).status, 'up')
  // Nothing is due before the monitor existed.
  t.equal(judge(config, [], at('2026-01-15T02:30:00Z'), at('2026-01-15T02:20:00Z')).status, 'unknown')
})

t.test('config problems are reported, not thrown at load', async (t) => {
  const problems: string[] = []
  t.equal(compileHeartbeatConfig({ cron: 'not a cron', timezone: 'Mars/Olympus' }, problems), undefined)
  t.match(problems.join('\n'), /timezone "Mars\/Olympus" is not an IANA time zone/)
  t.match(problems.join('\n'), /cron "not a cron" does not parse/)
  const both: string[] = []
  compileHeartbeatConfig({ cron: '* * * * *', period: '1h' }, both)
  t.same(both, ['give exactly one of period and cron'])
})

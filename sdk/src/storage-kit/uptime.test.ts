import t from 'tap'
import { uptimeSummary } from './uptime.js'

t.test('degraded is available, unknown is not judged', async (t) => {
  const s = uptimeSummary(0, 10, { up: 2, degraded: 1, down: 1, unknown: 4 }, [10, 20, 30, 40])
  t.equal(s.checks, 8)
  t.equal(s.ratio, 0.75)
  t.match(s.latency, { min: 10, max: 40 })
})

t.test('nothing to judge', async (t) => {
  t.same(uptimeSummary(0, 10, { up: 0, degraded: 0, down: 0, unknown: 2 }, []), {
    from: 0,
    to: 10,
    checks: 2,
    counts: { up: 0, degraded: 0, down: 0, unknown: 2 },
    ratio: null,
    latency: null
  })
})

import t from 'tap'
import { DEFAULT_RETENTION_POLICY, parseRetentionConfig } from './retention-policy.js'

const DAY = 86_400_000

t.test('defaults, durations and milliseconds', async (t) => {
  t.strictSame(parseRetentionConfig(undefined), DEFAULT_RETENTION_POLICY)
  t.strictSame(parseRetentionConfig({}), { rawMs: 7 * DAY, minuteMs: 30 * DAY, hourMs: 395 * DAY, dayMs: 1826 * DAY })
  t.strictSame(parseRetentionConfig({ raw: '14d', minute: '8 weeks', hour: 400 * DAY, day: '2000 days' }), {
    rawMs: 14 * DAY,
    minuteMs: 56 * DAY,
    hourMs: 400 * DAY,
    dayMs: 2000 * DAY
  })
  t.equal(parseRetentionConfig({ raw: '36h' }).rawMs, 36 * 3_600_000)
  t.equal(parseRetentionConfig({ raw: '1.5d' }).rawMs, 1.5 * DAY)
})

t.test('bad values name the field', async (t) => {
  const bad: [unknown, RegExp][] = [
    [{ raw: '7 fortnights' }, /retention\.raw must be a positive duration/],
    [{ raw: '7' }, /retention\.raw/],
    [{ raw: -1 }, /retention\.raw/],
    [{ raw: 0 }, /retention\.raw/],
    [{ raw: '1y' }, /retention\.raw/],
    [{ hours: '1d' }, /unknown key 'retention\.hours'/],
    ['7d', /retention must be an object/],
    [{ raw: '40d' }, /minute rollups must be kept at least as long as raw results/],
    [{ minute: '400d' }, /hour rollups must be kept at least as long as minute rollups/],
    [{ day: '30d' }, /day rollups must be kept at least as long as hour rollups/],
    [{ raw: '10m', minute: '30m' }, /minute rollups must be kept at least 1h/],
    [{ raw: '1h', minute: '2h', hour: '12h' }, /hour rollups must be kept at least 1d/]
  ]
  for (const [config, message] of bad) {
    t.throws(() => parseRetentionConfig(config), { code: 'VDT_ERR_STORAGE_INVALID_RETENTION', message }, JSON.stringify(config))
  }
})

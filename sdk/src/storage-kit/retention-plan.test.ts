import t from 'tap'
import { lateMark, planMaintenance } from './retention-plan.js'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const T0 = Date.UTC(2025, 0, 1)
const policy = { rawMs: 2 * DAY, minuteMs: 4 * DAY, hourMs: 6 * DAY, dayMs: 8 * DAY }

t.test('the first pass rolls up from the oldest raw result to the last closed minute', async (t) => {
  const now = T0 + 10 * DAY + 30 * MIN + 15_000
  const plan = planMaintenance(policy, {}, now, T0 + 7 * MIN + 22_000)
  t.strictSame(plan.rollup, {
    minute: { from: T0 + 7 * MIN, to: T0 + 10 * DAY + 30 * MIN },
    hour: { from: T0, to: T0 + 10 * DAY },
    day: { from: T0, to: T0 + 10 * DAY }
  })
  t.strictSame(plan.cut, { raw: T0 + 8 * DAY + 30 * MIN, minute: T0 + 6 * DAY + 30 * MIN, hour: T0 + 4 * DAY, day: T0 + 2 * DAY }, 'cuts rounded down to the bucket')
  t.strictSame(plan.next, { maintainedAt: now, rolledTo: T0 + 10 * DAY + 30 * MIN, rawFrom: T0 + 8 * DAY + 30 * MIN })
  t.equal(planMaintenance(policy, {}, now, undefined).rollup, undefined, 'an empty store has nothing to roll up')
})

t.test('later passes continue where the last one stopped, and again from late results', async (t) => {
  const marks = { maintainedAt: T0 + 5 * DAY + 10, rolledTo: T0 + 5 * DAY, rawFrom: T0 + 3 * DAY }
  const next = planMaintenance(policy, marks, T0 + 5 * DAY + 90 * MIN + 5, undefined)
  t.strictSame(next.rollup?.minute, { from: T0 + 5 * DAY, to: T0 + 5 * DAY + 90 * MIN })
  t.strictSame(next.rollup?.hour, { from: T0 + 5 * DAY, to: T0 + 5 * DAY + HOUR }, 'only closed hours')
  t.strictSame(next.rollup?.day, { from: T0 + 5 * DAY, to: T0 + 5 * DAY }, 'no day closed yet')
  t.equal(planMaintenance(policy, marks, T0 + 5 * DAY + 30_000, undefined).rollup, undefined, 'no minute closed since')

  const late = { ...marks, dirtyFrom: T0 + 4 * DAY + 22 * HOUR + 5 * MIN + 3 }
  t.strictSame(planMaintenance(policy, late, T0 + 5 * DAY + 2 * MIN, undefined).rollup, {
    minute: { from: T0 + 4 * DAY + 22 * HOUR + 5 * MIN, to: T0 + 5 * DAY + 2 * MIN },
    hour: { from: T0 + 4 * DAY + 22 * HOUR, to: T0 + 5 * DAY },
    day: { from: T0 + 4 * DAY, to: T0 + 5 * DAY }
  }, 'a late result reopens its minute, hour and day')
  const tooLate = { ...marks, dirtyFrom: T0 + DAY }
  t.equal(planMaintenance(policy, tooLate, T0 + 5 * DAY + 2 * MIN, undefined).rollup?.minute.from, T0 + 3 * DAY, 'never before raw results were deleted')
})

t.test('lateMark: only results below rolledTo are late', async (t) => {
  t.equal(lateMark({}, T0), undefined, 'before the first pass nothing is late')
  t.equal(lateMark({ rolledTo: T0 + DAY }, T0 + DAY), undefined)
  t.equal(lateMark({ rolledTo: T0 + DAY }, T0 + 5), T0 + 5)
  t.equal(lateMark({ rolledTo: T0 + DAY, dirtyFrom: T0 + 2 }, T0 + 5), T0 + 2, 'keeps the earliest')
})

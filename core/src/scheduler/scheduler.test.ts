import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { Scheduler } from './scheduler.js'
import type { Schedulable } from './scheduler.js'
import { TimerHeap } from './timer-heap.js'
import { nextRun, stableHash } from './next-run.js'

const every = (id: string, everyMs: number): Schedulable => ({ tenantId: 'default', id, schedule: { kind: 'interval', everyMs } })

t.test('timer heap pops in due order and supports remove/update', async (t) => {
  const heap = new TimerHeap<{ dueAt: number; heapIndex: number; n: number }>()
  const items = Array.from({ length: 500 }, (_, n) => ({ dueAt: (n * 7919) % 1000, heapIndex: -1, n }))
  for (const it of items) heap.push(it)
  heap.remove(items[10]!)
  items[20]!.dueAt = -1
  heap.update(items[20]!)
  const out: number[] = []
  for (let it = heap.pop(); it; it = heap.pop()) out.push(it.dueAt)
  t.equal(out.length, 499)
  t.equal(out[0], -1)
  t.ok(out.every((v, i) => i === 0 || out[i - 1]! <= v), 'ascending')
})

t.test('interval slots are stable per monitor and spread across the interval', async (t) => {
  const now = 1_700_000_000_123
  t.equal(nextRun({ kind: 'interval', everyMs: 30_000 }, 'default/a', now), nextRun({ kind: 'interval', everyMs: 30_000 }, 'default/a', now))
  const n = nextRun({ kind: 'interval', everyMs: 30_000 }, 'default/a', now)
  t.ok(n > now && n <= now + 30_000)
  t.equal((n - (stableHash('default/a') % 30_000)) % 30_000, 0, 'on the monitor grid')
  // 10,000 monitors at 30 s: no one-second bucket gets more than twice its share.
  const buckets = new Array<number>(30).fill(0)
  for (let i = 0; i < 10_000; i++) {
    const at = nextRun({ kind: 'interval', everyMs: 30_000 }, `default/m${i}`, 0)
    buckets[Math.floor(at / 1000) % 30]!++
  }
  t.ok(Math.max(...buckets) < 2 * (10_000 / 30), `max per-second bucket ${Math.max(...buckets)}`)
})

t.test('cron slots honour the timezone', async (t) => {
  // 09:00 every day in Tokyo (UTC+9, no DST) is 00:00 UTC.
  const at = nextRun({ kind: 'cron', expression: '0 9 * * *', timezone: 'Asia/Tokyo' }, 'k', Date.UTC(2026, 0, 1, 12))
  t.equal(new Date(at).toISOString(), '2026-01-02T00:00:00.000Z')
  const ny = nextRun({ kind: 'cron', expression: '30 2 * * *', timezone: 'America/New_York' }, 'k', Date.UTC(2026, 6, 1, 12))
  t.equal(new Date(ny).toISOString(), '2026-07-02T06:30:00.000Z', 'EDT is UTC-4')
})

t.test('runs monitors on their interval and never overlaps a run with its previous one', async (t) => {
  let running = 0
  let peak = 0
  let runs = 0
  let overlaps = 0
  const s = new Scheduler<Schedulable>({
    async onDue() {
      runs++
      running++
      peak = Math.max(peak, running)
      await sleep(130) // longer than the 50 ms interval
      running--
    },
    onOverlap: () => overlaps++
  })
  s.upsert(every('slow', 50))
  s.start()
  await sleep(700)
  s.stop()
  await s.idle()
  t.equal(peak, 1, 'at most one run of the monitor at a time')
  t.ok(runs >= 3, `ran ${runs} times`)
  t.ok(overlaps >= 3, `skipped ${overlaps} overlapping slots`)
})

t.test('pause, resume, remove and reschedule touch only that monitor', async (t) => {
  const counts = new Map<string, number>()
  const s = new Scheduler<Schedulable>({
    async onDue(m) {
      counts.set(m.id, (counts.get(m.id) ?? 0) + 1)
    }
  })
  s.upsert(every('a', 40))
  s.upsert(every('b', 40))
  s.upsert(every('c', 40))
  const dueB = s.nextDue('default', 'b')
  t.equal(s.upsert(every('b', 40)), 'updated', 'same schedule keeps the slot')
  t.equal(s.nextDue('default', 'b'), dueB)
  s.start()
  t.ok(s.pause('default', 'a'))
  t.ok(s.remove('default', 'c'))
  t.equal(s.upsert(every('b', 1000)), 'rescheduled')
  await sleep(300)
  t.equal(counts.get('a') ?? 0, 0, 'paused monitor did not run')
  t.equal(counts.get('c') ?? 0, 0, 'removed monitor did not run')
  t.ok((counts.get('b') ?? 0) <= 1, 'rescheduled monitor follows its new interval')
  s.resume('default', 'a')
  await sleep(200)
  s.stop()
  await s.idle()
  t.ok((counts.get('a') ?? 0) >= 2, 'resumed monitor runs again')
})

t.test('runNow respects no-overlap', async (t) => {
  let release!: () => void
  const s = new Scheduler<Schedulable>({ onDue: () => new Promise<void>((r) => (release = r)) })
  s.upsert(every('x', 60_000))
  const first = s.runNow('default', 'x')
  t.ok(first)
  await sleep(5)
  t.equal(s.runNow('default', 'x'), undefined, 'a second run while the first is going is refused')
  release()
  await first
  t.ok(s.runNow('default', 'x'), 'allowed again after it ended')
  release()
})

t.test('a synchronous throw in onDue does not wedge the monitor', async (t) => {
  let calls = 0
  const errors: unknown[] = []
  const s = new Scheduler<Schedulable>({
    onDue: () => {
      calls++
      throw new Error('sync')
    },
    onError: (e) => errors.push(e)
  })
  s.upsert(every('x', 60_000))
  await s.runNow('default', 'x')
  await s.runNow('default', 'x')
  t.equal(calls, 2)
  t.equal(errors.length, 2)
})

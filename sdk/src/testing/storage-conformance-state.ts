import type { Test } from 'tap'
import type { StateChangeEvent } from '../hooks.js'
import type { Incident } from '../storage.js'
import { collectPages, MINUTE, rejectsAsBadRequest, SECOND, T0, TENANT_A, transition, type OpenStore } from './storage-conformance-fixtures.js'

/** Transitions, kept states and the incidents they open and close. */
export function stateTests(t: Test, open: OpenStore): void {
  t.test('transitions: stored, ranged, ordered and paginated', async (t) => {
    const s = await open(t)
    const at = (i: number): number => T0 + i * MINUTE
    const events: StateChangeEvent[] = [
      transition(TENANT_A, 'm', 'pending', 'up', at(0), 'first result'),
      transition(TENANT_A, 'm', 'up', 'down', at(1), 'connection refused'),
      transition(TENANT_A, 'm', 'down', 'up', at(2), ''),
      transition(TENANT_A, 'm', 'up', 'paused', at(3), 'paused by ops'),
      transition(TENANT_A, 'm', 'paused', 'maintenance', at(4), 'window "db upgrade" ✓'),
      // Two changes within one millisecond: the order they were recorded in decides.
      transition(TENANT_A, 'm', 'maintenance', 'pending', at(5), 'window over'),
      transition(TENANT_A, 'm', 'pending', 'degraded', at(5), 'slow'),
      transition(TENANT_A, 'm', 'degraded', 'up', at(6), 'fast again')
    ]
    for (const e of events) {
      await s.recordTransition(e)
      await s.recordTransition(transition(TENANT_A, 'noise', e.from, e.to, e.at, 'other monitor'))
    }
    const asc = await s.listTransitions(TENANT_A, 'm', { order: 'asc' })
    t.strictSame(asc.items, events, 'asc: recording order, every field')
    const desc = await s.listTransitions(TENANT_A, 'm')
    t.strictSame(desc.items, [...events].reverse(), 'newest first by default')
    const ranged = await s.listTransitions(TENANT_A, 'm', { from: at(1), to: at(5), order: 'asc' })
    t.strictSame(ranged.items, events.slice(1, 5), '[from, to)')

    for (const order of ['asc', 'desc'] as const) {
      const { items, sizes } = await collectPages((cursor) => s.listTransitions(TENANT_A, 'm', { limit: 1, order, cursor }))
      t.strictSame(items, order === 'asc' ? events : [...events].reverse(), `${order}: pages of one, ties included`)
      t.equal(sizes.length, events.length)
    }
    t.strictSame(await s.listTransitions(TENANT_A, 'no-such'), { items: [] })
    await rejectsAsBadRequest(t, s.listTransitions(TENANT_A, 'm', { cursor: 'x' }), 'garbage cursor')
    await rejectsAsBadRequest(t, s.listTransitions(TENANT_A, 'm', { limit: -3 }), 'negative limit')
  })

  t.test('transitions: over 1,000 paginate without gaps', async (t) => {
    const s = await open(t)
    const statuses = ['up', 'down'] as const
    const events: StateChangeEvent[] = []
    for (let i = 0; i < 1200; i++) {
      events.push(transition(TENANT_A, 'flappy', statuses[(i + 1) % 2]!, statuses[i % 2]!, T0 + i * SECOND, `flip ${i}`))
    }
    for (const e of events) await s.recordTransition(e)
    const first = await s.listTransitions(TENANT_A, 'flappy', { limit: 5000 })
    t.equal(first.items.length, 1000, 'limit is capped at 1000')
    const { items } = await collectPages((cursor) => s.listTransitions(TENANT_A, 'flappy', { cursor }))
    t.strictSame(items.map((e) => e.reason), events.map((e) => e.reason).reverse(), 'default page size, all of them')
  })

  t.test('monitorStates: the kept state of every monitor', async (t) => {
    const s = await open(t)
    t.strictSame(await s.monitorStates(TENANT_A), [], 'none yet')
    await s.recordTransition(transition(TENANT_A, 'b', 'pending', 'up', T0, 'first result'))
    await s.recordTransition(transition(TENANT_A, 'a', 'pending', 'down', T0 + SECOND, 'refused'))
    await s.recordTransition(transition(TENANT_A, 'b', 'up', 'maintenance', T0 + MINUTE, 'window'))
    const states = (await s.monitorStates(TENANT_A)).sort((x, y) => (x.monitorId < y.monitorId ? -1 : 1))
    t.strictSame(states, [
      { tenantId: TENANT_A, monitorId: 'a', status: 'down', since: T0 + SECOND, reason: 'refused' },
      { tenantId: TENANT_A, monitorId: 'b', status: 'maintenance', since: T0 + MINUTE, reason: 'window' }
    ])
  })

  t.test('incidents: opened, raised, closed; filtered and paginated', async (t) => {
    const s = await open(t)
    const at = (i: number): number => T0 + i * MINUTE
    const open1 = async (): Promise<Incident[]> => (await s.listIncidents(TENANT_A, { monitorId: 'i', open: true })).items

    await s.recordTransition(transition(TENANT_A, 'i', 'pending', 'up', at(0)))
    t.strictSame((await s.listIncidents(TENANT_A)).items, [], 'up opens nothing')

    await s.recordTransition(transition(TENANT_A, 'i', 'up', 'degraded', at(1), 'slow'))
    let [inc] = await open1()
    t.match(inc, { tenantId: TENANT_A, monitorId: 'i', status: 'degraded', reason: 'slow', startedAt: at(1) }, 'degraded opens')
    t.equal(inc?.endedAt, undefined, 'an open incident has no endedAt')
    t.type(inc?.id, 'string', 'ids are strings')
    const firstId = inc?.id

    await s.recordTransition(transition(TENANT_A, 'i', 'degraded', 'down', at(2), 'refused'))
    ;[inc] = await open1()
    t.match(inc, { id: firstId, status: 'down', reason: 'refused', startedAt: at(1) }, 'degraded -> down raises the same incident')

    await s.recordTransition(transition(TENANT_A, 'i', 'down', 'degraded', at(3), 'slow again'))
    ;[inc] = await open1()
    t.match(inc, { id: firstId, status: 'down', reason: 'refused' }, 'down -> degraded keeps the worst status')

    await s.recordTransition(transition(TENANT_A, 'i', 'degraded', 'up', at(4)))
    t.strictSame(await open1(), [], 'up closes')
    await s.recordTransition(transition(TENANT_A, 'i', 'up', 'down', at(5), 'boom'))
    const second = (await open1())[0]
    t.match(second, { status: 'down', reason: 'boom', startedAt: at(5) }, 'down opens a new incident')
    t.not(second?.id, firstId, 'with a new id')
    await s.recordTransition(transition(TENANT_A, 'i', 'down', 'maintenance', at(6)))
    t.strictSame(await open1(), [], 'maintenance closes')
    await s.recordTransition(transition(TENANT_A, 'i', 'maintenance', 'paused', at(7)))
    await s.recordTransition(transition(TENANT_A, 'i', 'paused', 'down', at(8), 'dead'))
    await s.recordTransition(transition(TENANT_A, 'i', 'down', 'paused', at(9)))
    t.strictSame(await open1(), [], 'paused closes')
    await s.recordTransition(transition(TENANT_A, 'i', 'paused', 'degraded', at(10), 'tail'))
    // Two monitors failing in the same millisecond: pagination must keep both.
    await s.recordTransition(transition(TENANT_A, 'j', 'up', 'down', at(0) + 30 * SECOND, 'j down'))
    await s.recordTransition(transition(TENANT_A, 'k', 'up', 'down', at(0) + 30 * SECOND, 'k down'))

    const all = (await s.listIncidents(TENANT_A)).items
    const shape = (list: Incident[]): unknown[] => list.map((x) => [x.monitorId, x.status, x.startedAt, x.endedAt ?? null])
    t.strictSame(shape(all.slice(0, 4)), [
      ['i', 'degraded', at(10), null],
      ['i', 'down', at(8), at(9)],
      ['i', 'down', at(5), at(6)],
      ['i', 'down', at(1), at(4)]
    ], 'newest first, with endedAt on closed ones')
    t.strictSame(all.slice(4).map((x) => x.monitorId).sort(), ['j', 'k'], 'equal start times both listed')
    t.equal(new Set(all.map((x) => x.id)).size, all.length, 'distinct ids')
    t.ok(all.every((x) => !('endedAt' in x) || typeof x.endedAt === 'number'), 'endedAt is a number or absent')

    t.equal((await s.listIncidents(TENANT_A, { monitorId: 'i' })).items.length, 4, 'by monitor')
    t.strictSame((await s.listIncidents(TENANT_A, { open: true })).items.map((x) => x.monitorId).sort(), ['i', 'j', 'k'], 'open only')
    t.equal((await s.listIncidents(TENANT_A, { open: false })).items.length, 3, 'closed only')
    t.strictSame((await s.listIncidents(TENANT_A, { monitorId: 'j', open: false })).items, [], 'both filters')

    const { items, sizes } = await collectPages((cursor) => s.listIncidents(TENANT_A, { limit: 1, cursor }))
    t.strictSame(items, all, 'pages of one give the same list')
    t.equal(sizes.length, all.length)
    const openPages = await collectPages((cursor) => s.listIncidents(TENANT_A, { open: true, limit: 2, cursor }))
    t.equal(openPages.items.length, 3, 'filters hold across pages')
    await rejectsAsBadRequest(t, s.listIncidents(TENANT_A, { cursor: 'nope' }), 'garbage cursor')
  })
}

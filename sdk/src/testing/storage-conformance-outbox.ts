import type { Test } from 'tap'
import type { DeliveryAttempt, NewOutboxItem, OutboxItem } from '../outbox.js'
import { collectPages, rejectsAsBadRequest, SECOND, T0, TENANT_A, TENANT_B, type OpenStore } from './storage-conformance-fixtures.js'

function item(tenantId: string, id: string, over: Partial<NewOutboxItem> = {}): NewOutboxItem {
  return {
    tenantId,
    id,
    channelId: 'ops-slack',
    alertIds: ['alert-1'],
    notification: { title: `Alert ${id}`, body: 'api is down', fields: { status: 503, tags: ['prod'] } },
    createdAt: T0,
    nextAttemptAt: T0,
    ...over
  }
}

function attempt(at: number, ok: boolean, over: Partial<DeliveryAttempt> = {}): DeliveryAttempt {
  return ok ? { at, ok, status: 200, latencyMs: 12.5, node: 'node-1', ...over } : { at, ok, status: 503, error: 'HTTP 503 from hooks.slack.test', latencyMs: 80, ...over }
}

const ids = (items: readonly OutboxItem[]): string[] => items.map((x) => x.id)

/** The durable notification outbox: idempotent enqueue, leases, concurrent claims, settling, history. */
export function outboxTests(t: Test, open: OpenStore): void {
  t.test('outbox: enqueue stores each id once per tenant', async (t) => {
    const s = await open(t)
    const a1 = item(TENANT_A, 'a1')
    t.strictSame(await s.enqueueOutbox([a1, item(TENANT_A, 'a2')]), ['a1', 'a2'], 'returns the ids it stored')
    a1.notification.title = 'mutated after enqueue'
    const stored = await s.getOutboxItem(TENANT_A, 'a1')
    t.strictSame(stored, { ...item(TENANT_A, 'a1'), state: 'pending', attempts: [] }, 'pending, no attempts, no lease, a copy of what was given')
    const again = await s.enqueueOutbox([item(TENANT_A, 'a1', { channelId: 'other' }), item(TENANT_A, 'a3'), item(TENANT_A, 'a3', { channelId: 'dup' })])
    t.strictSame(again, ['a3'], 'duplicates (stored before or earlier in the same call) are skipped, not errors')
    t.equal((await s.getOutboxItem(TENANT_A, 'a1'))?.channelId, 'ops-slack', 'the first enqueue wins')
    t.equal((await s.getOutboxItem(TENANT_A, 'a3'))?.channelId, 'ops-slack')
    t.strictSame(await s.enqueueOutbox([item(TENANT_B, 'a1', { channelId: 'b-mail' })]), ['a1'], 'the same id in another tenant is new')
    t.equal((await s.getOutboxItem(TENANT_B, 'a1'))?.channelId, 'b-mail')
    t.equal((await s.getOutboxItem(TENANT_A, 'a1'))?.channelId, 'ops-slack', 'tenants do not share ids')
    t.equal(await s.getOutboxItem(TENANT_B, 'a2'), undefined, "another tenant's item is not visible")
    t.strictSame(await s.enqueueOutbox([]), [])
    await t.rejects(s.enqueueOutbox([item(TENANT_A, 'ok'), { ...item(TENANT_A, 'bad'), alertIds: 'alert-1' } as never]), {
      code: 'VDT_ERR_STORAGE_INVALID_RECORD'
    })
    t.equal(await s.getOutboxItem(TENANT_A, 'ok'), undefined, 'a call with one malformed item stores none')
  })

  t.test('outbox: claims lease due items, oldest nextAttemptAt first, up to limit', async (t) => {
    const s = await open(t)
    await s.enqueueOutbox([
      item(TENANT_A, 'third', { nextAttemptAt: T0 + 3 * SECOND }),
      item(TENANT_B, 'first', { nextAttemptAt: T0 + SECOND }),
      item(TENANT_A, 'second', { nextAttemptAt: T0 + 2 * SECOND }),
      item(TENANT_A, 'later', { nextAttemptAt: T0 + 10 * SECOND })
    ])
    t.strictSame(await s.claimOutbox('n0', T0, 30 * SECOND, 10), [], 'nothing is due yet')
    const now = T0 + 5 * SECOND
    const c1 = await s.claimOutbox('n1', now, 30 * SECOND, 2)
    t.strictSame(ids(c1), ['first', 'second'], 'limit respected, across tenants, oldest nextAttemptAt first')
    t.strictSame(c1.map((x) => [x.tenantId, x.leaseOwner, x.leaseUntil]), [[TENANT_B, 'n1', now + 30 * SECOND], [TENANT_A, 'n1', now + 30 * SECOND]])
    t.equal((await s.getOutboxItem(TENANT_B, 'first'))?.leaseOwner, 'n1', 'the lease is stored')
    t.strictSame(ids(await s.claimOutbox('n2', now, 30 * SECOND, 10)), ['third'], 'held leases and items not yet due are skipped')
    t.strictSame(ids(await s.claimOutbox('n2', now + 29 * SECOND, 30 * SECOND, 10)), ['later'], 'leases are held until leaseUntil; later is due by now')
    const c3 = await s.claimOutbox('n3', now + 30 * SECOND, 10 * SECOND, 10)
    t.strictSame(ids(c3), ['first', 'second', 'third'], 'expired leases (the node died) are claimable again')
    t.ok(c3.every((x) => x.leaseOwner === 'n3' && x.leaseUntil === now + 40 * SECOND), 'now leased to the new owner')
    await rejectsAsBadRequest(t, s.claimOutbox('n4', now, 30 * SECOND, 0), 'limit 0')
    await rejectsAsBadRequest(t, s.claimOutbox('n4', now, -1, 5), 'a negative lease')
    await rejectsAsBadRequest(t, s.claimOutbox('', now, 1000, 5), 'no owner')
  })

  t.test('outbox: concurrent claims never return the same item', async (t) => {
    const s = await open(t)
    const all = Array.from({ length: 60 }, (_, i) => item(i % 2 === 0 ? TENANT_A : TENANT_B, `c${String(i).padStart(2, '0')}`, { nextAttemptAt: T0 + (i % 7) }))
    await s.enqueueOutbox(all)
    const claims = await Promise.all(Array.from({ length: 6 }, (_, i) => s.claimOutbox(`node-${i}`, T0 + SECOND, 60 * SECOND, 15)))
    const keys = claims.flat().map((x) => `${x.tenantId}/${x.id}`)
    t.equal(new Set(keys).size, keys.length, 'no item was handed to two claimers')
    t.equal(keys.length, 60, 'and every due item was handed out once (6 × 15 ≥ 60)')
    for (const [i, batch] of claims.entries()) t.ok(batch.every((x) => x.leaseOwner === `node-${i}`), `claim ${i} holds what it got`)
  })

  t.test('outbox: settle by the lease owner only; retries, delivered and dead', async (t) => {
    const s = await open(t)
    await s.enqueueOutbox([item(TENANT_A, 'x'), item(TENANT_A, 'y'), item(TENANT_A, 'z'), item(TENANT_A, 'w')])
    await s.claimOutbox('n1', T0, 30 * SECOND, 10)
    const fail1 = attempt(T0 + 1, false)
    t.equal(await s.settleOutbox(TENANT_A, 'x', 'n2', fail1, { state: 'delivered' }), false, 'not the lease owner: refused')
    t.equal(await s.settleOutbox(TENANT_B, 'x', 'n1', fail1, { state: 'delivered' }), false, 'wrong tenant: refused')
    const untouched = await s.getOutboxItem(TENANT_A, 'x')
    t.strictSame([untouched?.state, untouched?.attempts, untouched?.leaseOwner], ['pending', [], 'n1'], 'and nothing changed')
    t.equal(await s.settleOutbox(TENANT_A, 'x', 'n1', fail1, { state: 'pending', nextAttemptAt: T0 + 60 * SECOND }), true, 'the owner settles')
    const retry = await s.getOutboxItem(TENANT_A, 'x')
    t.strictSame(retry?.attempts, [fail1], 'the attempt is appended')
    t.equal(retry?.nextAttemptAt, T0 + 60 * SECOND)
    t.equal(retry?.leaseOwner, undefined, 'the lease is cleared')
    t.equal(retry?.leaseUntil, undefined)
    t.equal(await s.settleOutbox(TENANT_A, 'x', 'n1', fail1, { state: 'dead' }), false, 'a settled lease cannot settle twice')
    t.equal(await s.settleOutbox(TENANT_A, 'y', 'n1', attempt(T0 + 2, false), { state: 'dead' }), true)
    t.equal(await s.settleOutbox(TENANT_A, 'z', 'n1', attempt(T0 + 3, false), { state: 'pending' }), true, 'pending without nextAttemptAt')
    t.strictSame(ids(await s.claimOutbox('n3', T0 + 4, 30 * SECOND, 10)), ['z'], 'is due again at once; held, retrying and dead items are not')
    // w's lease (n1, until T0 + 30 s) ran out and nobody took it: n1 still holds it.
    t.equal(await s.settleOutbox(TENANT_A, 'w', 'n1', attempt(T0 + 31 * SECOND, true), { state: 'delivered' }), true, 'an expired lease nobody took is still held')
    t.strictSame(ids(await s.claimOutbox('n2', T0 + 59 * SECOND, 30 * SECOND, 10)), ['z'], 'x is not due before nextAttemptAt; z, whose lease ran out, is taken over')
    t.strictSame(ids(await s.claimOutbox('n2', T0 + 60 * SECOND, 30 * SECOND, 10)), ['x'], 'x is claimable from nextAttemptAt on')
    const ok2 = attempt(T0 + 60 * SECOND + 5, true, { node: 'node-2' })
    t.equal(await s.settleOutbox(TENANT_A, 'x', 'n2', ok2, { state: 'delivered' }), true)
    const done = await s.getOutboxItem(TENANT_A, 'x')
    t.strictSame([done?.state, done?.attempts], ['delivered', [fail1, ok2]], 'attempts in order, delivered')
    t.equal(await s.settleOutbox(TENANT_A, 'z', 'n3', attempt(T0 + 61 * SECOND, true), { state: 'delivered' }), false, 'a lease taken over is lost')
    t.equal(await s.settleOutbox(TENANT_A, 'z', 'n2', attempt(T0 + 61 * SECOND, true), { state: 'delivered' }), true)
    t.strictSame(await s.claimOutbox('n5', T0 + 1_000_000 * SECOND, SECOND, 10), [], 'delivered and dead items are never claimed')
    t.equal(await s.settleOutbox(TENANT_A, 'nope', 'n1', attempt(T0, true), { state: 'delivered' }), false, 'unknown id')
    await s.enqueueOutbox([item(TENANT_A, 'v')])
    await s.claimOutbox('n1', T0, SECOND, 1)
    await t.rejects(s.settleOutbox(TENANT_A, 'v', 'n1', attempt(T0, true), { state: 'lost' as never }), { code: 'VDT_ERR_STORAGE_INVALID_RECORD' })
    await t.rejects(s.settleOutbox(TENANT_A, 'v', 'n1', { at: T0 } as never, { state: 'dead' }), { code: 'VDT_ERR_STORAGE_INVALID_RECORD' })
    t.strictSame((await s.getOutboxItem(TENANT_A, 'v'))?.attempts, [], 'an invalid settlement changes nothing')
  })

  t.test('outbox: history newest first, filtered, paged without gaps, per tenant', async (t) => {
    const s = await open(t)
    const items = Array.from({ length: 240 }, (_, i) =>
      item(TENANT_A, `n${String(i).padStart(3, '0')}`, {
        // Pairs share a createdAt: ties are ordered by id.
        createdAt: T0 + Math.floor(i / 2) * SECOND,
        nextAttemptAt: T0,
        channelId: i % 3 === 0 ? 'mail' : 'slack',
        alertIds: i % 10 === 0 ? [`alert-${i % 4}`, 'alert-group'] : [`alert-${i % 4}`]
      })
    )
    await s.enqueueOutbox([...items].reverse())
    await s.enqueueOutbox([item(TENANT_B, 'n000', { createdAt: T0 + 5 * SECOND }), item(TENANT_B, 'b-only')])
    await s.claimOutbox('n1', T0, 60 * SECOND, 1000)
    for (const [i, x] of items.entries()) {
      if (i % 4 === 1) await s.settleOutbox(TENANT_A, x.id, 'n1', attempt(T0 + 1, true), { state: 'delivered' })
      if (i % 4 === 2) await s.settleOutbox(TENANT_A, x.id, 'n1', attempt(T0 + 1, false), { state: 'dead' })
    }
    const newestFirst = (xs: readonly NewOutboxItem[]): string[] =>
      [...xs].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).map((x) => x.id)

    const all = await collectPages((cursor) => s.listOutbox(TENANT_A, { limit: 100, ...(cursor ? { cursor } : {}) }))
    t.strictSame(all.items.map((x) => x.id), newestFirst(items), 'newest createdAt first, ties by id, every item once')
    t.strictSame(all.sizes, [100, 100, 40])
    const byIndex = (pred: (i: number) => boolean): NewOutboxItem[] => items.filter((_, i) => pred(i))
    const cases: [string, Parameters<typeof s.listOutbox>[1], NewOutboxItem[]][] = [
      ['state delivered', { state: 'delivered' }, byIndex((i) => i % 4 === 1)],
      ['state pending', { state: 'pending' }, byIndex((i) => i % 4 === 0 || i % 4 === 3)],
      ['channelId', { channelId: 'mail' }, byIndex((i) => i % 3 === 0)],
      ['alertId', { alertId: 'alert-2' }, byIndex((i) => i % 4 === 2)],
      ['alertId of grouped notifications', { alertId: 'alert-group' }, byIndex((i) => i % 10 === 0)],
      ['from / to on createdAt', { from: T0 + 10 * SECOND, to: T0 + 20 * SECOND }, byIndex((i) => i >= 20 && i < 40)],
      ['combined', { state: 'dead', channelId: 'slack', from: T0 + 50 * SECOND }, byIndex((i) => i % 4 === 2 && i % 3 !== 0 && i >= 100)]
    ]
    for (const [name, query, want] of cases) {
      const got = await collectPages((cursor) => s.listOutbox(TENANT_A, { ...query, limit: 7, ...(cursor ? { cursor } : {}) }))
      t.strictSame(got.items.map((x) => x.id), newestFirst(want), name)
    }
    const delivered = (await s.listOutbox(TENANT_A, { state: 'delivered', limit: 1 })).items[0]
    t.equal(delivered?.attempts.length, 1, 'listed items carry their attempts')

    t.strictSame((await s.listOutbox(TENANT_B)).items.map((x) => x.id), ['n000', 'b-only'], "another tenant's history is its own")
    t.equal((await s.getOutboxItem(TENANT_B, 'n000'))?.createdAt, T0 + 5 * SECOND)
    t.strictSame((await s.listOutbox('tenant-c')).items, [])
    await rejectsAsBadRequest(t, s.listOutbox(TENANT_A, { cursor: 'garbage' }), 'bad cursor')
    await rejectsAsBadRequest(t, s.listOutbox(TENANT_A, { state: 'sent' as never }), 'unknown state')
    await rejectsAsBadRequest(t, s.listOutbox(TENANT_A, { from: 'yesterday' as never }), 'bad bound')
  })
}

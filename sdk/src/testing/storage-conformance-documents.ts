import type { Test } from 'tap'
import { collectPages, rejectsAsBadRequest, TENANT_A, TENANT_B, type OpenStore } from './storage-conformance-fixtures.js'

/** JSON documents: round trip, replace, create-if-absent, ordering, pagination, tenant and collection isolation. */
export function documentTests(t: Test, open: OpenStore): void {
  t.test('documents: put, get, replace, delete, copies', async (t) => {
    const s = await open(t)
    const doc = { name: 'ops', nested: { list: [1, 'a', null], flag: true } }
    await s.putDocument(TENANT_A, 'keys', 'k1', doc)
    const got = await s.getDocument(TENANT_A, 'keys', 'k1')
    t.strictSame(got?.doc, doc, 'round trip')
    t.equal(got?.id, 'k1')
    t.type(got?.updatedAt, 'number')
    doc.name = 'mutated after put'
    t.equal((await s.getDocument(TENANT_A, 'keys', 'k1'))?.doc.name, 'ops', 'stored document is a copy')
    await s.putDocument(TENANT_A, 'keys', 'k1', { name: 'replaced' })
    t.strictSame((await s.getDocument(TENANT_A, 'keys', 'k1'))?.doc, { name: 'replaced' }, 'put replaces the whole document')
    t.equal(await s.getDocument(TENANT_A, 'keys', 'nope'), undefined)
    t.equal(await s.deleteDocument(TENANT_A, 'keys', 'k1'), true)
    t.equal(await s.deleteDocument(TENANT_A, 'keys', 'k1'), false, 'second delete finds nothing')
    t.equal(await s.getDocument(TENANT_A, 'keys', 'k1'), undefined)
    await t.rejects(s.putDocument(TENANT_A, '', 'x', {}), { code: 'VDT_ERR_STORAGE_INVALID_RECORD' })
  })

  t.test('documents: ordered by id both ways, paginated without gaps', async (t) => {
    const s = await open(t)
    const ids = Array.from({ length: 250 }, (_, i) => `v${String(i).padStart(6, '0')}`)
    for (const id of [...ids].reverse()) await s.putDocument(TENANT_A, 'versions', id, { id })
    const asc = await collectPages((cursor) => s.listDocuments(TENANT_A, 'versions', { limit: 100, ...(cursor ? { cursor } : {}) }))
    t.strictSame(asc.items.map((d) => d.id), ids, 'ascending, every id once')
    t.strictSame(asc.sizes, [100, 100, 50])
    const desc = await collectPages((cursor) => s.listDocuments(TENANT_A, 'versions', { limit: 100, order: 'desc', ...(cursor ? { cursor } : {}) }))
    t.strictSame(desc.items.map((d) => d.id), [...ids].reverse(), 'descending')
    await rejectsAsBadRequest(t, s.listDocuments(TENANT_A, 'versions', { cursor: 'garbage' }), 'bad cursor')
  })

  t.test('documents: insertDocument creates only when the id is new', async (t) => {
    const s = await open(t)
    const first = { owner: 'node-1', n: 1 }
    t.equal(await s.insertDocument(TENANT_A, 'locks', 'job', first), true, 'a new id is stored')
    first.owner = 'mutated after insert'
    t.strictSame((await s.getDocument(TENANT_A, 'locks', 'job'))?.doc, { owner: 'node-1', n: 1 }, 'stored as a copy')
    const before = await s.getDocument(TENANT_A, 'locks', 'job')
    t.equal(await s.insertDocument(TENANT_A, 'locks', 'job', { owner: 'node-2' }), false, 'a taken id is refused')
    t.strictSame(await s.getDocument(TENANT_A, 'locks', 'job'), before, 'and the existing document is unchanged, updatedAt too')
    t.equal(await s.insertDocument(TENANT_B, 'locks', 'job', { owner: 'b' }), true, 'the same id in another tenant is new')
    t.equal(await s.insertDocument(TENANT_A, 'other', 'job', { owner: 'c' }), true, 'the same id in another collection is new')
    t.equal((await s.getDocument(TENANT_A, 'locks', 'job'))?.doc.owner, 'node-1', 'neither touched the first')
    await s.deleteDocument(TENANT_A, 'locks', 'job')
    t.equal(await s.insertDocument(TENANT_A, 'locks', 'job', { owner: 'node-3' }), true, 'free again after delete')
    await s.putDocument(TENANT_A, 'locks', 'put-first', { v: 1 })
    t.equal(await s.insertDocument(TENANT_A, 'locks', 'put-first', { v: 2 }), false, 'an id made by putDocument is taken too')

    const racers = await Promise.all(Array.from({ length: 8 }, (_, i) => s.insertDocument(TENANT_A, 'locks', 'race', { winner: i })))
    t.equal(racers.filter(Boolean).length, 1, 'of 8 concurrent inserts of one id exactly one wins')
    t.equal((await s.getDocument(TENANT_A, 'locks', 'race'))?.doc.winner, racers.indexOf(true), 'and its document is the one kept')
    await t.rejects(s.insertDocument(TENANT_A, '', 'x', {}), { code: 'VDT_ERR_STORAGE_INVALID_RECORD' })
  })

  t.test('documents: collections and tenants never mix', async (t) => {
    const s = await open(t)
    await s.putDocument(TENANT_A, 'keys', 'same', { who: 'a-keys' })
    await s.putDocument(TENANT_A, 'other', 'same', { who: 'a-other' })
    await s.putDocument(TENANT_B, 'keys', 'same', { who: 'b-keys' })
    t.equal((await s.getDocument(TENANT_A, 'keys', 'same'))?.doc.who, 'a-keys')
    t.equal((await s.getDocument(TENANT_A, 'other', 'same'))?.doc.who, 'a-other')
    t.equal((await s.getDocument(TENANT_B, 'keys', 'same'))?.doc.who, 'b-keys')
    t.equal((await s.listDocuments(TENANT_B, 'keys')).items.length, 1)
    t.equal(await s.getDocument(TENANT_B, 'other', 'same'), undefined)
    await s.deleteDocument(TENANT_B, 'keys', 'same')
    t.equal((await s.getDocument(TENANT_A, 'keys', 'same'))?.doc.who, 'a-keys', 'deleting in one tenant leaves the other')
  })
}

import type { Test } from 'tap'
import type { StorageInstance } from '../storage.js'
import { aggregateTests } from './storage-conformance-aggregates.js'
import { documentTests } from './storage-conformance-documents.js'
import { durabilityTests } from './storage-conformance-durability.js'
import type { OpenStore } from './storage-conformance-fixtures.js'
import { monitorTests } from './storage-conformance-monitors.js'
import { resultTests } from './storage-conformance-results.js'
import { stateTests } from './storage-conformance-state.js'
import { tenancyTests } from './storage-conformance-tenancy.js'

/**
 * How the suite gets stores. Instances are returned *not started*: the suite
 * calls `start()` and `stop()` itself, because the lifecycle is part of what it checks.
 */
export interface StorageFactory {
  /** A fresh, empty store, independent of every store made before. */
  create(): Promise<StorageInstance>
  /**
   * A new instance over the data of the store `create` returned last, after
   * that one was stopped. Leave it out for backends that keep nothing (memory):
   * the durability subtest is then skipped.
   */
  reopen?(): Promise<StorageInstance>
  /** Runs once after the whole suite (remove temp directories, drop schemas). */
  cleanup?(): Promise<void>
}

export interface StorageConformanceOptions {
  /** Names the parent test, e.g. `sqlite`. */
  name: string
}

/**
 * The behaviour every storage backend must share, as tap subtests: monitor
 * records and their pagination, result fidelity, ranges and cursors over more
 * than a page of 1,000, batch atomicity, latest results, uptime summaries,
 * transitions, kept states, incidents, tenant isolation for every method and,
 * when the factory can reopen, durability across a restart. Each subtest gets
 * its own fresh store and stops it when it ends.
 *
 * Contract details the suite pins down beyond the `Storage` doc comments:
 * - bad cursors, limits (not a positive integer), bounds and orders reject with
 *   a coded error whose `statusCode` is 400; limits above 1000 are capped;
 * - `nextCursor` is absent when a page ends exactly at the last item;
 * - monitor ids sort by code point (SQL binary collation on UTF-8);
 * - equal timestamps keep recording order (transitions) and are never dropped
 *   or repeated across pages (results, incidents);
 * - a batch with one invalid result rejects and stores none of it;
 * - `deleteMonitor` returns true when it removed anything, record or data;
 * - raising an incident from degraded to down also takes the new reason;
 * - latency and phase timings may come back rounded to the microsecond.
 *
 * @example
 * import t from 'tap'
 * import { storageConformance } from '@vedette/sdk/testing'
 * await storageConformance(t, { create: async () => plugin.create({}, ctx) }, { name: 'memory' })
 */
export async function storageConformance(t: Test, factory: StorageFactory, options: StorageConformanceOptions): Promise<void> {
  await t.test(`${options.name}: storage conformance`, async (t) => {
    if (factory.cleanup !== undefined) t.teardown(() => factory.cleanup?.())
    const open: OpenStore = async (t) => {
      const store = await factory.create()
      await store.start()
      t.teardown(() => store.stop())
      return store
    }
    monitorTests(t, open)
    resultTests(t, open)
    aggregateTests(t, open)
    stateTests(t, open)
    tenancyTests(t, open)
    documentTests(t, open)
    durabilityTests(t, factory)
  })
}

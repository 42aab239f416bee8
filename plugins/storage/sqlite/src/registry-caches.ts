import { BARE_SHAPE, describe, fits, fromDescriptor, shapeKey, shapeKeyOf, toDescriptor, type Shape, type ShapeDescriptor } from './result-codec.js'
import type { CheckResult } from '@vedette/sdk'
import { DamagedDatabaseError } from './errors.js'

/**
 * (tenant, monitor) → ref, so a batch of 1,000 results does not run 1,000
 * lookups. Nested maps, not a joined string key, so no separator can collide.
 */
export class RefCache {
  #byTenant = new Map<string, Map<string, number>>()

  get(tenantId: string, monitorId: string): number | undefined {
    return this.#byTenant.get(tenantId)?.get(monitorId)
  }

  set(tenantId: string, monitorId: string, ref: number): void {
    let refs = this.#byTenant.get(tenantId)
    if (refs === undefined) this.#byTenant.set(tenantId, (refs = new Map()))
    refs.set(monitorId, ref)
  }

  delete(tenantId: string, monitorId: string): void {
    this.#byTenant.get(tenantId)?.delete(monitorId)
  }

  clear(): void {
    this.#byTenant.clear()
  }
}

/**
 * The `result_shapes` table mirrored in memory. New shapes are inserted
 * through `insert` inside the caller's transaction; after a rollback the caller
 * must `reload()`, or a cached id could name a row that no longer exists and
 * be handed out again for a different shape.
 */
export class ShapeRegistry {
  #byKey = new Map<string, Shape>()
  #byId = new Map<number, Shape>()
  /** The shape handed out last: consecutive results mostly share one. */
  #last: Shape = BARE_SHAPE
  readonly #load: () => Iterable<[number, string]>
  readonly #insert: (descriptor: string) => number
  readonly #path: string

  constructor(path: string, load: () => Iterable<[number, string]>, insert: (descriptor: string) => number) {
    this.#path = path
    this.#load = load
    this.#insert = insert
    this.reload()
  }

  reload(): void {
    this.#byKey = new Map([[shapeKeyOf(BARE_SHAPE), BARE_SHAPE]])
    this.#byId = new Map([[BARE_SHAPE.id, BARE_SHAPE]])
    this.#last = BARE_SHAPE
    for (const [id, descriptor] of this.#load()) this.#add(fromDescriptor(id, JSON.parse(descriptor) as ShapeDescriptor))
  }

  /** The shape of `r`, registered on first sight. */
  forResult(r: CheckResult): Shape {
    if (fits(this.#last, r)) return this.#last
    let shape = this.#byKey.get(shapeKey(r))
    if (shape === undefined) {
      const fields = describe(r)
      shape = { id: this.#insert(JSON.stringify(toDescriptor(fields))), ...fields }
      this.#add(shape)
    }
    this.#last = shape
    return shape
  }

  byId(id: number): Shape {
    let shape = this.#byId.get(id)
    if (shape === undefined) {
      // Only reachable if another process wrote to this file; pick up its shapes.
      this.reload()
      shape = this.#byId.get(id)
      if (shape === undefined) throw new DamagedDatabaseError(this.#path, `result shape ${id} is missing from result_shapes`)
    }
    return shape
  }

  #add(shape: Shape): void {
    this.#byKey.set(shapeKeyOf(shape), shape)
    this.#byId.set(shape.id, shape)
  }
}

/** A monitor's newest (startedAt, seq); null when it has no result. */
export type Newest = readonly [startedAt: number, seq: number] | null

/**
 * Each monitor's newest (startedAt, seq), as `latest_results` holds it. The
 * write path picks a result's seq from it without a query per row: a result
 * newer than this gets seq 0 (nothing can share its start time), one at the
 * same start time gets the next seq. Clear it after a rollback, like RefCache.
 */
export class NewestCache {
  #byRef = new Map<number, Newest>()

  /** undefined when not cached (null is cached: no result yet). */
  get(ref: number): Newest | undefined {
    return this.#byRef.get(ref)
  }

  set(ref: number, newest: Newest): void {
    this.#byRef.set(ref, newest)
  }

  delete(ref: number): void {
    this.#byRef.delete(ref)
  }

  clear(): void {
    this.#byRef.clear()
  }
}

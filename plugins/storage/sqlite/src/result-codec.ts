import type { CheckResult, CheckStatus, Metric, ObservationValue, PhaseTimings } from '@vedette/sdk'

/**
 * Compact row encoding for raw results, the table that grows without bound.
 *
 * A typical HTTP result has five phase timings and a couple of observations.
 * Stored as JSON with keys that is ~120 bytes per row; here the *keys* live
 * once in `result_shapes` and a row keeps a shape id plus a positional JSON
 * array of values: `[1234,3456,9871,21500,612,200,0]`. Timings are integer
 * microseconds, which keeps 0.001 ms precision in 2-4 bytes of varint-ish
 * SQLite integers instead of an 8-byte REAL.
 */

/** Status as a small integer; 0 and 1 cost no payload bytes in a SQLite record. */
export const STATUS_CODES: Readonly<Record<CheckStatus, number>> = { up: 0, down: 1, degraded: 2, unknown: 3 }
export const STATUS_NAMES: readonly CheckStatus[] = ['up', 'down', 'degraded', 'unknown']

/** Which optional fields a row carries, and in which order its values are laid out. */
export interface Shape {
  id: number
  /** Phase names, or null when the result had no `phases` object at all. */
  phases: string[] | null
  /** Observation keys, or null when the result had no `observations` object. */
  observations: string[] | null
  message: boolean
  reason: boolean
  metrics: boolean
}

/** What a shape is stored as in `result_shapes.descriptor`. */
export interface ShapeDescriptor {
  p: string[] | null
  o: string[] | null
  m: boolean
  r: boolean
  x: boolean
}

/** The shape with no optional field at all: stored as id 0 with a NULL value column. */
export const BARE_SHAPE: Shape = { id: 0, phases: null, observations: null, message: false, reason: false, metrics: false }

export function toDescriptor(shape: Omit<Shape, 'id'>): ShapeDescriptor {
  return { p: shape.phases, o: shape.observations, m: shape.message, r: shape.reason, x: shape.metrics }
}

export function fromDescriptor(id: number, d: ShapeDescriptor): Shape {
  return { id, phases: d.p, observations: d.o, message: d.m, reason: d.r, metrics: d.x }
}

/**
 * A string naming the shape of `r`, unambiguous because every name is length
 * prefixed (`P3:dns7:connectO10:statusCode`). Keys whose value is undefined
 * are left out, exactly as JSON would drop them.
 */
export function shapeKey(r: CheckResult): string {
  let key = ''
  if (r.phases !== undefined) {
    key += 'P'
    for (const name in r.phases) if (r.phases[name] !== undefined) key += `${name.length}:${name}`
  }
  if (r.observations !== undefined) {
    key += 'O'
    for (const name in r.observations) if (r.observations[name] !== undefined) key += `${name.length}:${name}`
  }
  if (r.message !== undefined) key += 'm'
  if (r.reason !== undefined) key += 'r'
  if (r.metrics !== undefined) key += 'x'
  return key
}

/**
 * True when `r` carries exactly the fields and keys of `shape`, in order.
 * Allocates nothing: the write path tries the previous row's shape with this
 * before building a key.
 */
export function fits(shape: Shape, r: CheckResult): boolean {
  if ((r.message !== undefined) !== shape.message || (r.reason !== undefined) !== shape.reason) return false
  if ((r.metrics !== undefined) !== shape.metrics) return false
  return sameKeys(shape.phases, r.phases) && sameKeys(shape.observations, r.observations)
}

function sameKeys(names: readonly string[] | null, o: Readonly<Record<string, unknown>> | undefined): boolean {
  if (o === undefined || names === null) return o === undefined && names === null
  let i = 0
  for (const name in o) {
    if (o[name] === undefined) continue
    if (names[i++] !== name) return false
  }
  return i === names.length
}

/** The same key as `shapeKey` gives every result of `shape`. */
export function shapeKeyOf(shape: Omit<Shape, 'id'>): string {
  let key = ''
  if (shape.phases !== null) key += 'P' + shape.phases.map((n) => `${n.length}:${n}`).join('')
  if (shape.observations !== null) key += 'O' + shape.observations.map((n) => `${n.length}:${n}`).join('')
  if (shape.message) key += 'm'
  if (shape.reason) key += 'r'
  if (shape.metrics) key += 'x'
  return key
}

/** The shape of `r` without an id, for registering a new one. */
export function describe(r: CheckResult): Omit<Shape, 'id'> {
  const keys = (o: Record<string, unknown> | undefined): string[] | null => {
    if (o === undefined) return null
    const out: string[] = []
    for (const name in o) if (o[name] !== undefined) out.push(name)
    return out
  }
  return {
    phases: keys(r.phases),
    observations: keys(r.observations),
    message: r.message !== undefined,
    reason: r.reason !== undefined,
    metrics: r.metrics !== undefined
  }
}

export function toMicros(ms: number): number {
  return Math.round(ms * 1000)
}

// Scalars are the common case; building their JSON by hand skips a
// JSON.stringify call per value on the write path.
function jsonValue(v: ObservationValue): string {
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null'
    case 'boolean':
      return v ? 'true' : 'false'
    default:
      return v === null ? 'null' : JSON.stringify(v)
  }
}

/** The value column of `r` laid out by `shape`; null for the bare shape. */
export function encodeValues(r: CheckResult, shape: Shape): string | null {
  if (shape.id === BARE_SHAPE.id) return null
  // String concatenation over an array join: one allocation less per row, and
  // this runs for every result written.
  let out = ''
  if (shape.phases !== null) {
    const phases = r.phases as PhaseTimings
    for (const name of shape.phases) out += `,${toMicros(phases[name] as number)}`
  }
  if (shape.observations !== null) {
    const obs = r.observations as Record<string, ObservationValue>
    for (const name of shape.observations) out += `,${jsonValue(obs[name] as ObservationValue)}`
  }
  if (shape.message) out += `,${JSON.stringify(r.message)}`
  if (shape.reason) out += `,${JSON.stringify(r.reason)}`
  if (shape.metrics) out += `,${JSON.stringify(r.metrics)}`
  return `[${out.slice(1)}]`
}

/** Rebuilds a result from its row; field order matches what the engine produces. */
export function decodeResult(
  tenantId: string,
  monitorId: string,
  startedAt: number,
  status: number,
  latencyUs: number,
  shape: Shape,
  values: string | readonly unknown[] | null
): CheckResult {
  const r: CheckResult = { tenantId, monitorId, startedAt, status: STATUS_NAMES[status] as CheckStatus, latencyMs: latencyUs / 1000 }
  if (values === null) return r
  // Bulk reads hand over values already parsed (see latestResults).
  const v = typeof values === 'string' ? (JSON.parse(values) as unknown[]) : values
  let i = 0
  let phases: PhaseTimings | undefined
  let observations: Record<string, ObservationValue> | undefined
  if (shape.phases !== null) {
    phases = {}
    for (const name of shape.phases) setOwn(phases, name, (v[i++] as number) / 1000)
  }
  if (shape.observations !== null) {
    observations = {}
    for (const name of shape.observations) setOwn(observations, name, v[i++] as ObservationValue)
  }
  if (shape.message) r.message = v[i++] as string
  if (shape.reason) r.reason = v[i++] as string
  if (phases !== undefined) r.phases = phases
  if (shape.metrics) r.metrics = v[i++] as Metric[]
  if (observations !== undefined) r.observations = observations
  return r
}

// A check may report a key named `__proto__`; plain assignment would set the
// prototype instead of a property.
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  else target[key] = value
}

/**
 * `expectedStatus` compiled once: a list of inclusive `[low, high]` ranges.
 * Entries are integers (`204`) or range strings (`"200-299"`, `"301"`).
 */
export interface StatusMatcher {
  matches(statusCode: number): boolean
  /** The accepted set as written in config, for messages: `200-299, 304`. */
  readonly description: string
}

const RANGE = /^([1-5][0-9]{2})(?:-([1-5][0-9]{2}))?$/

/**
 * Parses `expectedStatus`; pushes a message to `problems` for each bad entry
 * and returns `undefined` when any entry is unusable.
 *
 * @example
 * compileStatusMatcher(['200-299', 304], []).matches(304) // true
 */
export function compileStatusMatcher(spec: readonly (number | string)[], problems: string[]): StatusMatcher | undefined {
  if (!Array.isArray(spec) || spec.length === 0) {
    problems.push('expectedStatus must be a non-empty array')
    return undefined
  }
  const bounds: number[] = []
  const before = problems.length
  for (const entry of spec) {
    if (typeof entry === 'number') {
      if (Number.isInteger(entry) && entry >= 100 && entry <= 599) bounds.push(entry, entry)
      else problems.push(`expectedStatus entry ${entry} is not an HTTP status code (100-599)`)
      continue
    }
    const m = typeof entry === 'string' ? RANGE.exec(entry) : null
    if (m === null) {
      problems.push(`expectedStatus entry ${JSON.stringify(entry)} must be a status code or a range like "200-299"`)
      continue
    }
    const low = Number(m[1])
    const high = m[2] === undefined ? low : Number(m[2])
    if (high < low) problems.push(`expectedStatus range "${entry}" ends before it starts`)
    else bounds.push(low, high)
  }
  if (problems.length > before) return undefined
  return new RangeMatcher(bounds, spec.join(', '))
}

class RangeMatcher implements StatusMatcher {
  readonly #bounds: readonly number[]
  readonly description: string

  constructor(bounds: readonly number[], description: string) {
    this.#bounds = bounds
    this.description = description
  }

  matches(statusCode: number): boolean {
    const b = this.#bounds
    for (let i = 0; i < b.length; i += 2) {
      if (statusCode >= (b[i] as number) && statusCode <= (b[i + 1] as number)) return true
    }
    return false
  }
}

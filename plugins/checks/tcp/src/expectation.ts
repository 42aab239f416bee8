/** What `expect` / `expectRegex` compile to: a test over the text read so far. */
export interface Expectation {
  test(text: string): boolean
  /** For messages: `"220 "` or `/^220 /`. */
  readonly description: string
}

/**
 * Compiles `expect` (a substring) or `expectRegex` (JavaScript RegExp source,
 * no flags); `undefined` when neither is set. A bad pattern goes to `problems`.
 *
 * @example
 * compileExpectation(undefined, '^SSH-2\\.0-', [])?.test('SSH-2.0-OpenSSH_9.2\r\n') // true
 */
export function compileExpectation(expect: string | undefined, expectRegex: string | undefined, problems: string[]): Expectation | undefined {
  if (expect !== undefined && expectRegex !== undefined) {
    problems.push('set expect or expectRegex, not both')
    return undefined
  }
  if (expect !== undefined) {
    if (typeof expect !== 'string' || expect === '') {
      problems.push('expect must be a non-empty string')
      return undefined
    }
    return { test: (text) => text.includes(expect), description: JSON.stringify(expect) }
  }
  if (expectRegex !== undefined) {
    let re: RegExp
    try {
      re = new RegExp(expectRegex)
    } catch (err) {
      problems.push(`expectRegex is not a valid regular expression: ${(err as Error).message}`)
      return undefined
    }
    return { test: (text) => re.test(text), description: String(re) }
  }
  return undefined
}

import t from 'tap'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { formatAssertion } from './assertion-format.js'
import { parseAssertion } from './assertion-parser.js'
import { normalizeAssertions } from './normalize-assertions.js'

const docs = readFileSync(new URL('../../../docs/assertions.md', import.meta.url), 'utf8')

t.test('every one-line example in docs/assertions.md parses and round-trips', async (t) => {
  const block = /```assert\n([\s\S]*?)```/.exec(docs)?.[1] ?? ''
  const lines = block.split('\n').filter((l) => l.trim() !== '')
  t.ok(lines.length >= 20, `${lines.length} examples`)
  for (const line of lines) {
    const tree = parseAssertion(line)
    t.same(parseAssertion(formatAssertion(tree)), tree, line)
  }
})

t.test('the YAML example’s assertions are valid', async (t) => {
  const doc = parse(/```yaml\n([\s\S]*?)```/.exec(docs)?.[1] ?? '') as { monitors: Array<{ assertions: Array<string | object> }> }
  const entries = doc.monitors[0]?.assertions ?? []
  t.equal(entries.length, 5)
  t.equal(normalizeAssertions(entries).length, 5)
})

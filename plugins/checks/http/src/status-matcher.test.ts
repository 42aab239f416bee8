import t from 'tap'
import { compileStatusMatcher } from './status-matcher.js'

t.test('integers, single-code strings and ranges', async (t) => {
  const problems: string[] = []
  const m = compileStatusMatcher(['200-299', 304, '418'], problems)
  t.same(problems, [])
  t.equal(m?.description, '200-299, 304, 418')
  const accepted = [200, 250, 299, 304, 418].filter((c) => m?.matches(c))
  t.same(accepted, [200, 250, 299, 304, 418])
  t.same([199, 300, 303, 305, 417, 500].filter((c) => m?.matches(c)), [])
})

t.test('bad entries are all reported', async (t) => {
  const problems: string[] = []
  const m = compileStatusMatcher(['2xx', 42, '300-200', '200-', 600, '099'], problems)
  t.equal(m, undefined)
  t.same(problems, [
    'expectedStatus entry "2xx" must be a status code or a range like "200-299"',
    'expectedStatus entry 42 is not an HTTP status code (100-599)',
    'expectedStatus range "300-200" ends before it starts',
    'expectedStatus entry "200-" must be a status code or a range like "200-299"',
    'expectedStatus entry 600 is not an HTTP status code (100-599)',
    'expectedStatus entry "099" must be a status code or a range like "200-299"'
  ])
  const empty: string[] = []
  t.equal(compileStatusMatcher([], empty), undefined)
  t.same(empty, ['expectedStatus must be a non-empty array'])
})

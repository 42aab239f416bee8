import t from 'tap'
import { compileExpectation } from './expectation.js'

t.test('substring and regex', async (t) => {
  const sub = compileExpectation('+PONG', undefined, [])
  t.equal(sub?.description, '"+PONG"')
  t.ok(sub?.test('+PONG\r\n'))
  t.notOk(sub?.test('-ERR\r\n'))
  const re = compileExpectation(undefined, '^SSH-2\\.0-\\S+', [])
  t.equal(re?.description, '/^SSH-2\\.0-\\S+/')
  t.ok(re?.test('SSH-2.0-OpenSSH_9.2\r\n'))
  t.notOk(re?.test('HTTP/1.1 400\r\nSSH-2.0-x'), 'anchored at the start of the text')
  t.equal(compileExpectation(undefined, undefined, []), undefined, 'nothing to expect')
})

t.test('problems', async (t) => {
  const problems: string[] = []
  t.equal(compileExpectation(undefined, '(unclosed', problems), undefined)
  t.match(problems, [/^expectRegex is not a valid regular expression: /])
  const both: string[] = []
  t.equal(compileExpectation('a', 'b', both), undefined)
  t.same(both, ['set expect or expectRegex, not both'])
  const empty: string[] = []
  compileExpectation('', undefined, empty)
  t.same(empty, ['expect must be a non-empty string'])
})

import t from 'tap'
import { formatConfigErrors, sortConfigErrors } from './config-error.js'

t.test('formats file:line:column pointer: message', async (t) => {
  const text = formatConfigErrors(
    [
      { pointer: '/monitors/0/interval', line: 7, column: 5, message: 'must be a duration like 30s or 5m (got "30 parsecs")' },
      { pointer: '/servr', line: 1, column: 1, message: 'unknown property "servr"' },
      { pointer: '', message: 'must be a map of keys to values (got a list)' }
    ],
    'vedette.yaml'
  )
  t.equal(
    text,
    [
      'vedette.yaml (document): must be a map of keys to values (got a list)',
      'vedette.yaml:1:1 /servr: unknown property "servr"',
      'vedette.yaml:7:5 /monitors/0/interval: must be a duration like 30s or 5m (got "30 parsecs")'
    ].join('\n')
  )
})

t.test('without positions, sorts by pointer with list indexes as numbers', async (t) => {
  const sorted = sortConfigErrors([
    { pointer: '/monitors/10/id', message: 'a' },
    { pointer: '/monitors/2/id', message: 'b' },
    { pointer: '/monitors/2', message: 'c' },
    { pointer: '/engine', message: 'd' }
  ])
  t.same(
    sorted.map((e) => e.pointer),
    ['/engine', '/monitors/2', '/monitors/2/id', '/monitors/10/id']
  )
})

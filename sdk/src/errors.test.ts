import t from 'tap'
import { createError, isVedetteError } from './errors.js'
import { kVedetteError } from './symbols.js'

t.test('createError makes coded errors with formatted messages', async (t) => {
  const NotFound = createError<[string]>('VDT_ERR_TEST_NOT_FOUND', "Thing '%s' is missing", 404)
  const err = new NotFound('x', { details: { hint: 1 } })
  t.ok(err instanceof Error)
  t.ok(err instanceof NotFound)
  t.equal(err.code, 'VDT_ERR_TEST_NOT_FOUND')
  t.equal(err.statusCode, 404)
  t.equal(err.message, "Thing 'x' is missing")
  t.same(err.details, { hint: 1 })
  t.equal(NotFound.code, 'VDT_ERR_TEST_NOT_FOUND')
  t.ok(isVedetteError(err))
  t.notOk(isVedetteError(new Error('plain')))
  const cause = new Error('root')
  t.equal(new NotFound('y', { cause }).cause, cause)
})

t.test('identity works across SDK copies through the registry symbol', async (t) => {
  const foreign = Object.assign(new Error('from another copy'), { code: 'VDT_ERR_X' })
  Object.defineProperty(foreign, Symbol.for('vedette.error'), { value: true })
  t.equal(kVedetteError, Symbol.for('vedette.error'))
  t.ok(isVedetteError(foreign))
})

t.test('codes must follow the VDT_ERR_ convention', async (t) => {
  t.throws(() => createError('NOPE', 'x'), TypeError)
})

import t from 'tap'
import { buildConfigSchema } from './config-schema.js'
import { validateConfig } from './validate-config.js'

// A third-party check whose schema uses the composite keywords that make ajv noisy.
const schema = buildConfigSchema({
  checks: [
    {
      type: 'api',
      package: '@acme/check-api',
      configSchema: {
        type: 'object',
        properties: {
          body: {
            oneOf: [
              { type: 'string' },
              { type: 'object', required: ['json'], properties: { json: { type: 'object' } } }
            ]
          },
          retries: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'boolean' }] },
          weight: { oneOf: [{ type: 'number' }, { type: 'integer' }] },
          mode: { const: 'strict' },
          headers: { type: 'object', additionalProperties: false, minProperties: 1 },
          auth: { type: 'object', dependencies: { user: ['password'] } }
        }
      }
    }
  ],
  storages: []
})

const errorsFor = (config: Record<string, unknown>) =>
  validateConfig({ monitors: [{ id: 'a', type: 'api', interval: '1m', config }] }, schema)

t.test('no branch of a oneOf fits the value type: one "must be X or Y"', async (t) => {
  t.same(errorsFor({ body: 42 }), [
    {
      pointer: '/monitors/0/config/body',
      message: 'must be a string or a map of keys to values (got 42)',
      expected: 'a string or a map of keys to values'
    }
  ])
  t.same(errorsFor({ retries: 'x' }), [
    { pointer: '/monitors/0/config/retries', message: 'must be an integer or true or false (got "x")', expected: 'an integer or true or false' }
  ])
})

t.test('the branch whose type fits is the one reported', async (t) => {
  t.same(errorsFor({ body: {} }), [{ pointer: '/monitors/0/config/body/json', message: 'is required', expected: 'a map of keys to values' }])
  t.same(errorsFor({ retries: -1 }), [{ pointer: '/monitors/0/config/retries', message: 'must be at least 0 (got -1)', expected: 'at least 0' }])
})

t.test('a value matching several oneOf branches', async (t) => {
  t.same(errorsFor({ weight: 3 }), [
    { pointer: '/monitors/0/config/weight', message: 'matches more than one of the allowed forms; make it match exactly one' }
  ])
  t.same(errorsFor({ weight: 3.5 }), [])
})

t.test('const, closed maps without properties, counts and fallbacks', async (t) => {
  t.same(errorsFor({ mode: 'lax', headers: { a: 1 } }), [
    { pointer: '/monitors/0/config/headers/a', message: 'unknown property "a": no properties are allowed here' },
    { pointer: '/monitors/0/config/mode', message: 'must be "strict" (got "lax")', expected: '"strict"' }
  ])
  t.same(errorsFor({ headers: {} }), [{ pointer: '/monitors/0/config/headers', message: 'must have at least 1 property' }])
  t.match(errorsFor({ auth: { user: 'u' } }), [{ pointer: '/monitors/0/config/auth', message: /password/ }])
})

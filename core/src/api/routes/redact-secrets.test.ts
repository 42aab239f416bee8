import t from 'tap'
import { REDACTED, redact, restoreRedacted, secretTree } from './redact-secrets.js'

// A notifier-like schema with secrets in every place JSON Schema can put them.
const schema = {
  type: 'object',
  additionalProperties: false,
  $defs: { token: { type: 'string', writeOnly: true } },
  properties: {
    url: { type: 'string' },
    auth: { type: 'object', properties: { user: { type: 'string' }, pass: { type: 'string', writeOnly: true } } },
    headers: { type: 'object', additionalProperties: { type: 'string', writeOnly: true } },
    labels: { type: 'object', patternProperties: { '^secret-': { type: 'string', writeOnly: true }, '^plain-': { type: 'string' } } },
    targets: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, key: { $ref: '#/$defs/token' } } } },
    credentials: { type: 'object', writeOnly: true, properties: { a: { type: 'string' } } },
    mode: { enum: ['a', 'b'] }
  },
  oneOf: [{ properties: { apiKey: { type: 'string', writeOnly: true } } }, { properties: { token: { type: 'string' } } }],
  if: { properties: { mode: { const: 'b' } } },
  then: { properties: { extra: { type: 'string', writeOnly: true } } }
}

const config = {
  url: 'https://example.com/x',
  auth: { user: 'me', pass: 'p4ss' },
  headers: { authorization: 'Bearer abc', 'x-trace': 'on' },
  labels: { 'secret-a': 's1', 'plain-b': 'visible' },
  targets: [{ name: 'one', key: 'k1' }, { name: 'two' }],
  credentials: { a: 'c' },
  mode: 'b',
  apiKey: 'ak',
  token: 'not marked',
  extra: 'e'
}

t.test('every writeOnly place is redacted, the rest is kept', async (t) => {
  const out = redact(config, secretTree(schema))
  t.same(out, {
    url: 'https://example.com/x',
    auth: { user: 'me', pass: REDACTED },
    headers: { authorization: REDACTED, 'x-trace': REDACTED },
    labels: { 'secret-a': REDACTED, 'plain-b': 'visible' },
    targets: [{ name: 'one', key: REDACTED }, { name: 'two' }],
    credentials: REDACTED,
    mode: 'b',
    apiKey: REDACTED,
    token: 'not marked',
    extra: REDACTED
  })
  t.equal(config.auth.pass, 'p4ss', 'the input is not changed')
  t.same(redact({ url: 'u' }, secretTree(schema)), { url: 'u' }, 'absent secrets stay absent')
})

t.test('schemas without secrets, and recursive refs', async (t) => {
  t.equal(secretTree({ type: 'object', properties: { url: { type: 'string' } } }), undefined)
  t.equal(secretTree(true), undefined)
  t.equal(secretTree(undefined), undefined)
  const recursive = { $defs: { node: { type: 'object', properties: { pin: { writeOnly: true }, next: { $ref: '#/$defs/node' } } } }, $ref: '#/$defs/node' }
  t.same(redact({ pin: 1, next: { pin: 2, next: {} } }, secretTree(recursive)), { pin: REDACTED, next: REDACTED }, 'a self-referencing schema terminates; the recursion is redacted whole')
})

t.test('restoring: the placeholder takes the stored value; a new value replaces it; nothing stored is reported', async (t) => {
  const tree = secretTree(schema)
  const incoming = redact(config, tree) as Record<string, unknown>
  const back = restoreRedacted(incoming, config, tree, '/channels/2/config')
  t.same(back.value, config, 'what was read can be written back unchanged')
  t.same(back.missing, [])

  const rotated = restoreRedacted({ ...incoming, auth: { user: 'me', pass: 'new' } }, config, tree)
  t.equal((rotated.value as typeof config).auth.pass, 'new')

  const fresh = restoreRedacted({ auth: { user: 'me', pass: REDACTED }, targets: [{ name: 'z', key: REDACTED }], url: REDACTED }, undefined, tree, '/c')
  t.same(fresh.missing, ['/c/auth/pass', '/c/targets/0/key'], 'pointers of the secrets with nothing behind them')
  t.equal((fresh.value as { url: string }).url, REDACTED, 'a non-secret field is taken literally')
})

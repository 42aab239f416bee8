import t from 'tap'
import { pluginRefs } from './plugin-refs.js'

t.test('collects storage, plugins and check types as written', async (t) => {
  const refs = pluginRefs({
    storage: { plugin: 'sqlite', config: {} },
    plugins: ['@acme/check-ftp', { name: './plugins/local' }, '@acme/check-ftp'],
    monitors: [{ type: 'http' }, { type: 'ftp' }, { type: 'http' }]
  })
  t.same(refs, { storage: 'sqlite', plugins: ['@acme/check-ftp', './plugins/local'], checkTypes: ['http', 'ftp'], auth: ['@vedette/auth-apikey'] })
})

t.test('leaves storage out when the config keeps the default', async (t) => {
  const refs = pluginRefs({ monitors: [] })
  t.notOk('storage' in refs)
  t.same(refs, { plugins: [], checkTypes: [], auth: ['@vedette/auth-apikey'] })
})

t.test('is lenient with malformed documents', async (t) => {
  for (const input of [null, 42, 'text', [], undefined]) t.same(pluginRefs(input), { plugins: [], checkTypes: [], auth: ['@vedette/auth-apikey'] }, String(input))
  const refs = pluginRefs({
    storage: { plugin: 42 },
    plugins: 'not-a-list',
    monitors: [null, 'x', { type: 7 }, { type: ' ' }, { type: 'tcp' }]
  })
  t.same(refs, { plugins: [], checkTypes: ['tcp'], auth: ['@vedette/auth-apikey'] })
  t.same(pluginRefs({ storage: 'sqlite', plugins: [null, '', { name: 3 }, { name: 'ok' }] }), { plugins: ['ok'], checkTypes: [], auth: ['@vedette/auth-apikey'] })
})

t.test('auth plugins: listed ones in order, none when disabled', async (t) => {
  t.same(pluginRefs({ auth: { plugins: [{ plugin: './a' }, { plugin: '@x/b' }, { plugin: './a' }] } }).auth, ['./a', '@x/b'])
  t.same(pluginRefs({ auth: { enabled: false } }).auth, [])
  t.same(pluginRefs({ auth: { publicMetrics: false } }).auth, ['@vedette/auth-apikey'])
})

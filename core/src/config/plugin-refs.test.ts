import t from 'tap'
import { pluginRefs } from './plugin-refs.js'

t.test('collects storage, plugins and check types as written', async (t) => {
  const refs = pluginRefs({
    storage: { plugin: 'sqlite', config: {} },
    plugins: ['@acme/check-ftp', { name: './plugins/local' }, '@acme/check-ftp'],
    monitors: [{ type: 'http' }, { type: 'ftp' }, { type: 'http' }]
  })
  t.same(refs, { storage: 'sqlite', plugins: ['@acme/check-ftp', './plugins/local'], checkTypes: ['http', 'ftp'] })
})

t.test('leaves storage out when the config keeps the default', async (t) => {
  const refs = pluginRefs({ monitors: [] })
  t.notOk('storage' in refs)
  t.same(refs, { plugins: [], checkTypes: [] })
})

t.test('is lenient with malformed documents', async (t) => {
  for (const input of [null, 42, 'text', [], undefined]) t.same(pluginRefs(input), { plugins: [], checkTypes: [] }, String(input))
  const refs = pluginRefs({
    storage: { plugin: 42 },
    plugins: 'not-a-list',
    monitors: [null, 'x', { type: 7 }, { type: ' ' }, { type: 'tcp' }]
  })
  t.same(refs, { plugins: [], checkTypes: ['tcp'] })
  t.same(pluginRefs({ storage: 'sqlite', plugins: [null, '', { name: 3 }, { name: 'ok' }] }), { plugins: ['ok'], checkTypes: [] })
})

import t from 'tap'
import { redactConnectionSecrets, redactUrlPasswords, restoreConnectionSecrets } from './connection-secrets.js'

const stored = {
  storage: { plugin: 'postgres', config: { url: 'postgres://vedette:s3cret%2Fpw@db.internal:5432/prod', schema: 'vedette' } },
  cluster: { plugin: 'redis', config: { url: 'redis://:r3dis@cache:6379', prefix: 'v:' } },
  monitors: [{ id: 'x', type: 'http', config: { url: 'https://user:not-a-connection@example.com/' } }]
}

t.test('passwords in storage and cluster URLs are redacted and restored', async (t) => {
  const shown = redactConnectionSecrets(stored)
  t.equal(shown.storage.config.url, 'postgres://vedette:********@db.internal:5432/prod')
  t.equal(shown.cluster.config.url, 'redis://:********@cache:6379')
  t.equal(shown.storage.config.schema, 'vedette')
  t.notMatch(JSON.stringify(shown), /s3cret|r3dis/)
  t.same(shown.monitors, stored.monitors, 'other sections are left alone')
  t.same(restoreConnectionSecrets(shown, stored), stored, 'a document read back keeps the stored passwords')
  const changed = restoreConnectionSecrets({ ...shown, storage: { plugin: 'postgres', config: { url: 'postgres://vedette:newpw@db.internal:5432/prod' } } }, stored)
  t.equal(changed.storage.config.url, 'postgres://vedette:newpw@db.internal:5432/prod', 'a real new password is kept')
  t.equal(redactUrlPasswords('postgres://a:b@c/d'), 'postgres://a:********@c/d', 'diff values too')
  t.equal(redactConnectionSecrets({ storage: { plugin: 'sqlite', config: { path: './data/v.db' } } }).storage.config.path, './data/v.db')
})

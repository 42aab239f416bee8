// Small stand-ins for the real plugins' schemas, shared by the config tests.
// (Named *.test.fixture.ts: kept out of the package, not run as a test file.)
import type { PluginSchemaInfo } from './config-schema.js'

export const fakePlugins: PluginSchemaInfo = {
  checks: [
    {
      type: 'http',
      package: '@vedette/check-http',
      defaultTimeoutMs: 10_000,
      configSchema: {
        type: 'object',
        required: ['url'],
        additionalProperties: false,
        properties: { url: { type: 'string' }, method: { enum: ['GET', 'HEAD', 'POST'] } }
      }
    },
    {
      type: 'tcp',
      package: '@vedette/check-tcp',
      defaultTimeoutMs: 5_000,
      configSchema: {
        type: 'object',
        required: ['host', 'port'],
        properties: { host: { type: 'string' }, port: { type: 'integer', minimum: 1, maximum: 65535 } }
      }
    }
  ],
  storages: [
    {
      package: '@vedette/storage-sqlite',
      name: 'sqlite',
      configSchema: { type: 'object', additionalProperties: false, properties: { path: { type: 'string' } } }
    }
  ]
}

/** The example from docs/config.md; it must stay valid. */
export const exampleYaml = `server: { port: 8080 }
storage: { plugin: '@vedette/storage-sqlite', config: { path: ./data/vedette.db } }
monitors:
  - id: self-health
    name: Vedette itself
    type: http                 # the check plugin's short name
    interval: 30s              # or  cron: '*/5 * * * *'
    timeout: 5s
    config: { url: 'http://127.0.0.1:8080/health' }
    tags: [self]
`

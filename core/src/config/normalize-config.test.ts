import { availableParallelism } from 'node:os'
import t from 'tap'
import { exampleYaml } from './fake-plugins.test.fixture.js'
import { CONFIG_DEFAULTS, normalizeConfig } from './normalize-config.js'
import { parseConfigText } from './read-config.js'
import type { VedetteConfigInput } from './types.js'

const example = parseConfigText(exampleYaml, 'vedette.yaml').input as VedetteConfigInput

t.test('the documented example normalizes with every default', async (t) => {
  const config = normalizeConfig(example, { baseDir: '/etc/vedette' })
  t.same(config, {
    server: { port: 8080, host: '127.0.0.1', rateLimit: { max: 600_000, windowMs: 60_000 } },
    dataDir: '/etc/vedette/data',
    logLevel: 'info',
    storage: { plugin: '@vedette/storage-sqlite', config: { path: './data/vedette.db' } },
    plugins: [],
    engine: {
      workers: availableParallelism(),
      concurrencyPerWorker: 256,
      maxQueue: 10_000,
      processWorkers: 2,
      hookTimeoutMs: 5_000,
      shutdownTimeoutMs: 10_000,
      failureThreshold: 2,
      recoveryThreshold: 1,
      flushIntervalMs: 250
    },
    auth: { enabled: true, plugins: [{ plugin: '@vedette/auth-apikey', config: {} }], publicMetrics: true },
    monitors: [
      {
        tenantId: 'default',
        id: 'self-health',
        name: 'Vedette itself',
        type: 'http',
        schedule: { kind: 'interval', everyMs: 30_000 },
        timeoutMs: 5_000,
        enabled: true,
        tags: ['self'],
        failureThreshold: 2,
        recoveryThreshold: 1,
        config: { url: 'http://127.0.0.1:8080/health' }
      }
    ],
    alerting: {}
  })
})

t.test('an empty document gets the default storage and nothing to monitor', async (t) => {
  const config = normalizeConfig({}, { baseDir: '/srv' })
  t.same(config.storage, { plugin: CONFIG_DEFAULTS.storagePlugin, config: {} })
  t.equal(config.dataDir, '/srv/data')
  t.same(config.monitors, [])
})

t.test('explicit settings win over defaults', async (t) => {
  const config = normalizeConfig(
    {
      server: { port: 0, host: '0.0.0.0', rateLimit: { max: 10, window: '1s' } },
      dataDir: '/var/lib/vedette',
      logLevel: 'debug',
      storage: { plugin: 'sqlite' },
      plugins: ['@acme/check-ftp', { name: './local' }, { name: '@acme/check-ftp' }],
      engine: { workers: 3, hookTimeout: '2s', shutdownTimeout: 0, flushInterval: 100, failureThreshold: 4, recoveryThreshold: 3 },
      monitors: [
        { id: 'a', type: 'http', interval: 60_000, config: {}, failureThreshold: 1, enabled: false },
        { id: 'b', type: 'tcp', cron: ' @hourly ', timezone: 'europe/paris', config: { host: 'db' } }
      ]
    },
    { baseDir: '/etc/vedette', storages: [{ package: '@vedette/storage-sqlite', name: 'sqlite' }] }
  )
  t.same(config.server, { port: 0, host: '0.0.0.0', rateLimit: { max: 10, windowMs: 1000 } })
  t.equal(config.dataDir, '/var/lib/vedette')
  t.equal(config.logLevel, 'debug')
  t.equal(config.storage.plugin, '@vedette/storage-sqlite', 'a short storage name becomes its package name')
  t.same(config.plugins, ['@acme/check-ftp', './local'])
  t.match(config.engine, { workers: 3, hookTimeoutMs: 2_000, shutdownTimeoutMs: 0, flushIntervalMs: 100 })
  const [a, b] = config.monitors
  t.match(a, { name: 'a', enabled: false, failureThreshold: 1, recoveryThreshold: 3, schedule: { kind: 'interval', everyMs: 60_000 } })
  t.same(b?.schedule, { kind: 'cron', expression: '@hourly', timezone: 'Europe/Paris' })
  t.equal(b?.failureThreshold, 4, 'thresholds come from the engine settings')
  t.equal(b?.timeoutMs, undefined, 'the engine applies the plugin default')
})

t.test('cron schedules default to UTC', async (t) => {
  const config = normalizeConfig({ monitors: [{ id: 'c', type: 'http', cron: '*/5 * * * *', config: {} }] }, { baseDir: '/' })
  t.same(config.monitors[0]?.schedule, { kind: 'cron', expression: '*/5 * * * *', timezone: 'UTC' })
})

t.test('plugin default timeouts fill in, cut to the interval', async (t) => {
  const input: VedetteConfigInput = {
    monitors: [
      { id: 'slow', type: 'http', interval: '5s', config: {} },
      { id: 'fast', type: 'http', interval: '1m', config: {} },
      { id: 'cron', type: 'http', cron: '@daily', config: {} },
      { id: 'own', type: 'http', interval: '1m', timeout: '2s', config: {} },
      { id: 'other', type: 'tcp', interval: '1m', config: {} }
    ]
  }
  const config = normalizeConfig(input, { baseDir: '/', checkTimeouts: { http: 10_000 } })
  t.same(
    config.monitors.map((m) => m.timeoutMs),
    [5_000, 10_000, 10_000, 2_000, undefined]
  )
})

t.test('the result shares nothing with the input', async (t) => {
  const input = structuredClone(example)
  const config = normalizeConfig(input, { baseDir: '/' })
  ;(config.monitors[0]?.config as { url: string }).url = 'changed'
  config.monitors[0]?.tags.push('x')
  ;(config.storage.config as { path: string }).path = 'changed'
  t.same(input, example)
})

t.test('options are checked', async (t) => {
  t.throws(() => normalizeConfig({}, { baseDir: '' }), TypeError)
  t.throws(() => normalizeConfig({}, undefined as never), TypeError)
})

t.test('retry policies get their defaults; one attempt means no retry', async (t) => {
  const base = { id: 'r', type: 'http', interval: '30s', config: {} }
  const withRetry = normalizeConfig({ monitors: [{ ...base, retry: { attempts: 3 } }] }, { baseDir: '/tmp' }).monitors[0]
  t.same(withRetry?.retry, { attempts: 3, backoff: 'fixed', delayMs: 1000, onlyOn: 'network' })
  const custom = normalizeConfig({ monitors: [{ ...base, retry: { attempts: 2, backoff: 'exponential', delay: '250ms', onlyOn: 'any' } }] }, { baseDir: '/tmp' }).monitors[0]
  t.same(custom?.retry, { attempts: 2, backoff: 'exponential', delayMs: 250, onlyOn: 'any' })
  t.notOk('retry' in (normalizeConfig({ monitors: [{ ...base, retry: { attempts: 1 } }] }, { baseDir: '/tmp' }).monitors[0] ?? {}))
})

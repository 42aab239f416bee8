import t from 'tap'
import { buildConfigSchema } from './config-schema.js'
import { exampleYaml, fakePlugins } from './fake-plugins.test.fixture.js'
import { parseConfigText } from './read-config.js'
import { validateConfig } from './validate-config.js'

const schema = buildConfigSchema(fakePlugins)

/** Validates YAML text the way loadConfig does, with positions. */
function check(text: string) {
  const { input, locate } = parseConfigText(text, 'vedette.yaml')
  return validateConfig(input, schema, locate)
}

/** A one-monitor document; `fields` are YAML lines of the monitor, indented by the caller's 4 spaces. */
function monitorYaml(...fields: string[]): string {
  return `monitors:\n  - id: m1\n${fields.map((f) => `    ${f}\n`).join('')}`
}

t.test('the documented example is valid', async (t) => {
  t.same(check(exampleYaml), [])
})

t.test('unknown top-level key is named, with a suggestion', async (t) => {
  t.same(check('server: { port: 8080 }\nmonitor: []\n'), [
    {
      pointer: '/monitor',
      line: 2,
      column: 1,
      message:
        'unknown property "monitor" (did you mean "monitors"?); allowed: server, dataDir, logLevel, storage, cluster, plugins, engine, auth, monitors, channels, users, alerts',
      expected: 'one of server, dataDir, logLevel, storage, cluster, plugins, engine, auth, monitors, channels, users, alerts'
    }
  ])
})

t.test("a wrong type in a plugin's config names the field and its line, without if/then noise", async (t) => {
  const errors = check(monitorYaml('type: http', 'interval: 30s', 'config:', '  url: 42'))
  t.same(errors, [
    { pointer: '/monitors/0/config/url', line: 6, column: 7, message: 'must be a string (got 42)', expected: 'a string' }
  ])
})

t.test('a missing required plugin field points where it belongs', async (t) => {
  const errors = check(monitorYaml('type: http', 'interval: 30s', 'config: { method: GET }'))
  t.same(errors, [{ pointer: '/monitors/0/config/url', line: 5, column: 5, message: 'is required', expected: 'a string' }])
})

t.test('plugin schemas apply per type: tcp config is not checked against http', async (t) => {
  t.same(check(monitorYaml('type: tcp', 'interval: 30s', 'config: { host: db, port: 5432 }')), [])
  t.match(check(monitorYaml('type: tcp', 'interval: 30s', 'config: { host: db, port: 70000 }')), [
    { pointer: '/monitors/0/config/port', message: 'must be at most 65535 (got 70000)' }
  ])
})

t.test('exactly one of interval and cron', async (t) => {
  t.same(check(monitorYaml('type: http', 'interval: 30s', "cron: '*/5 * * * *'", 'config: { url: x }')), [
    {
      pointer: '/monitors/0/cron',
      line: 5,
      column: 5,
      message: 'cannot be used together with "interval": use exactly one of "interval", "cron"',
      expected: 'exactly one of "interval", "cron"'
    }
  ])
  t.same(check(monitorYaml('type: http', 'config: { url: x }')), [
    {
      pointer: '/monitors/0',
      line: 2,
      column: 5,
      message: 'must have exactly one of "interval", "cron"',
      expected: 'exactly one of "interval", "cron"'
    }
  ])
})

t.test('a bad duration says what a duration looks like', async (t) => {
  t.same(check(monitorYaml('type: http', 'interval: 30 parsecs', 'config: { url: x }')), [
    {
      pointer: '/monitors/0/interval',
      line: 4,
      column: 5,
      message: 'must be a duration like 30s or 5m (got "30 parsecs")',
      expected: 'a duration like 500ms, 30s, 5m or 1h, or an integer number of milliseconds'
    }
  ])
  for (const bad of ['-5', '1.5', 'true', '[30s]']) {
    t.match(check(monitorYaml('type: http', `interval: ${bad}`, 'config: { url: x }')), [
      { pointer: '/monitors/0/interval', message: /^must be a duration like 30s or 5m \(got / }
    ], bad)
  }
  t.match(check('engine: { hookTimeout: soon }\n'), [{ pointer: '/engine/hookTimeout', line: 1, column: 11 }])
})

t.test('cron expressions are checked', async (t) => {
  t.match(check(monitorYaml('type: http', "cron: '61 * * * *'", 'config: { url: x }')), [
    { pointer: '/monitors/0/cron', line: 4, message: /^is not a valid cron expression: .*61.* \(got "61 \* \* \* \*"\)$/ }
  ])
  t.match(check(monitorYaml('type: http', "cron: '*/5 * * *'", 'config: { url: x }')), [
    { pointer: '/monitors/0/cron', message: /expected 5 fields .* found 4/ }
  ])
  t.match(check(monitorYaml('type: http', "cron: '0 0 30 2 *'", 'config: { url: x }')), [{ pointer: '/monitors/0/cron' }])
  for (const good of ['*/5 * * * *', '*/10 * * * * *', '@daily', '0 9 * * 1-5']) {
    t.same(check(monitorYaml('type: http', `cron: '${good}'`, 'timezone: Europe/Paris', 'config: { url: x }')), [], good)
  }
})

t.test('time zones must be IANA zones and only go with cron', async (t) => {
  t.same(check(monitorYaml('type: http', "cron: '0 9 * * *'", 'timezone: Mars/Olympus', 'config: { url: x }')), [
    {
      pointer: '/monitors/0/timezone',
      line: 5,
      column: 5,
      message: 'must be an IANA time zone like Europe/Paris or UTC (got "Mars/Olympus")',
      expected: 'an IANA time zone name'
    }
  ])
  t.match(check(monitorYaml('type: http', 'interval: 1m', 'timezone: UTC', 'config: { url: x }')), [
    { pointer: '/monitors/0/timezone', message: /only applies to cron schedules/ }
  ])
})

t.test('duplicate ids point at the second use', async (t) => {
  const text = 'monitors:\n  - { id: a, type: http, interval: 1m, config: { url: x } }\n  - { id: a, type: http, interval: 1m, config: { url: y } }\n'
  t.same(check(text), [
    {
      pointer: '/monitors/1/id',
      line: 3,
      column: 7,
      message: 'duplicate monitor id "a" (already used by /monitors/0)',
      expected: 'an id no other monitor has'
    }
  ])
})

t.test('an unknown check type lists the loaded ones', async (t) => {
  t.same(check(monitorYaml('type: htp', 'interval: 1m', 'config: {}')), [
    {
      pointer: '/monitors/0/type',
      line: 3,
      column: 5,
      message: 'must be one of "http", "tcp" (got "htp")',
      expected: 'one of "http", "tcp"'
    }
  ])
})

t.test('storage: plugin by package or short name, config against its schema', async (t) => {
  t.same(check('storage: { plugin: sqlite, config: { path: x.db } }\n'), [])
  t.same(check('storage:\n  plugin: "@vedette/storage-sqlite"\n  config:\n    path: x.db\n    journal: wal\n'), [
    {
      pointer: '/storage/config/journal',
      line: 5,
      column: 5,
      message: 'unknown property "journal"; allowed: path',
      expected: 'one of path'
    }
  ])
  t.match(check('storage: { plugin: postgres }\n'), [
    { pointer: '/storage/plugin', message: 'must be one of "@vedette/storage-sqlite", "sqlite" (got "postgres")' }
  ])
  t.match(check('storage: { config: {} }\n'), [{ pointer: '/storage/plugin', message: 'is required' }])
})

t.test('interval and timeout relations', async (t) => {
  t.same(check(monitorYaml('type: http', 'interval: 500ms', 'config: { url: x }')), [
    { pointer: '/monitors/0/interval', line: 4, column: 5, message: 'must be at least 1s (got "500ms")', expected: 'a duration of 1s or more' }
  ])
  t.same(check(monitorYaml('type: http', 'interval: 10s', 'timeout: 1m', 'config: { url: x }')), [
    {
      pointer: '/monitors/0/timeout',
      line: 5,
      column: 5,
      message: 'must not be longer than the interval, 10s (got "1m")',
      expected: 'a duration no longer than the interval'
    }
  ])
  t.match(check(monitorYaml('type: http', 'interval: 10000', 'timeout: 10001', 'config: { url: x }')), [
    { pointer: '/monitors/0/timeout', message: 'must not be longer than the interval, 10000ms (got 10001)' }
  ])
  t.same(check(monitorYaml('type: http', 'interval: 10s', 'timeout: 10s', 'config: { url: x }')), [])
  t.match(check(monitorYaml('type: http', 'interval: 10s', 'timeout: 0', 'config: { url: x }')), [
    { pointer: '/monitors/0/timeout', message: 'must be greater than 0' }
  ])
  t.match(check('engine: { flushInterval: 0ms }\n'), [{ pointer: '/engine/flushInterval', message: 'must be greater than 0' }])
})

t.test('ids, thresholds, tags and other core fields', async (t) => {
  t.match(check(monitorYaml('type: http', 'interval: 1m', 'config: { url: x }').replace('id: m1', 'id: "-bad id"')), [
    { pointer: '/monitors/0/id', message: /^must start with a letter or digit .* \(got "-bad id"\)$/ }
  ])
  t.match(check(monitorYaml('type: http', 'interval: 1m', 'failureThreshold: 0', 'recoveryThreshold: 1.5', 'config: { url: x }')), [
    { pointer: '/monitors/0/failureThreshold', message: 'must be at least 1 (got 0)' },
    { pointer: '/monitors/0/recoveryThreshold', message: 'must be an integer (got 1.5)' }
  ])
  t.match(check(monitorYaml('type: http', 'interval: 1m', 'tags: [a, 3, a]', 'config: { url: x }')), [
    { pointer: '/monitors/0/tags/1', message: 'must be a string (got 3)' }
  ])
  t.match(check(monitorYaml('type: http', 'interval: 1m', 'tags: [a, b, a]', 'config: { url: x }')), [
    { pointer: '/monitors/0/tags/2', message: 'repeats item 0; list items must be unique' }
  ])
  t.match(check(monitorYaml('type: http', 'interval: 1m', 'enabled: yes', 'config: { url: x }')), [
    { pointer: '/monitors/0/enabled', message: 'must be true or false (got "yes")' }
  ])
  t.match(check(monitorYaml('type: http', 'interval: 1m')), [{ pointer: '/monitors/0/config', message: 'is required' }])
  t.match(check('server: { port: 80800, host: "" }\nlogLevel: loud\nengine: { workers: 0, threads: 2 }\n'), [
    { pointer: '/server/port', message: 'must be at most 65535 (got 80800)' },
    { pointer: '/server/host', message: 'must not be empty' },
    { pointer: '/logLevel', message: /^must be one of "fatal", .*"silent" \(got "loud"\)$/ },
    { pointer: '/engine/workers', message: 'must be at least 1 (got 0)' },
    { pointer: '/engine/threads', message: /^unknown property "threads"/ }
  ])
  t.match(check('plugins: ["@acme/check-ftp", { name: ./local }, 42, { nam: x }]\n'), [
    { pointer: '/plugins/2', message: 'must be a plugin package name or path, or an object with a `name` (got 42)' },
    { pointer: '/plugins/3', message: /^must be a plugin package name or path/ }
  ])
})

t.test('a document that is not a map', async (t) => {
  t.same(check('- a\n- b\n'), [
    { pointer: '', line: 1, column: 1, message: 'must be a map of keys to values (got a list)', expected: 'a map of keys to values' }
  ])
})

t.test('several errors come back together, in document order', async (t) => {
  const errors = check(
    monitorYaml('type: http', 'interval: 30 parsecs', 'config: { url: 42 }') +
      '  - { id: m1, type: ftp, interval: 1m, config: {} }\nservr: {}\n'
  )
  t.same(
    errors.map((e) => [e.pointer, e.line]),
    [
      ['/monitors/0/interval', 4],
      ['/monitors/0/config/url', 5],
      ['/monitors/1/id', 6],
      ['/monitors/1/type', 6],
      ['/servr', 7]
    ]
  )
})

t.test('works on plain data without positions and never modifies it', async (t) => {
  const input = { monitors: [{ id: 'a', type: 'http', interval: '1m', config: {} }] }
  const before = structuredClone(input)
  t.same(validateConfig(input, schema), [{ pointer: '/monitors/0/config/url', message: 'is required', expected: 'a string' }])
  t.same(input, before)
})

t.test('stays linear with 10,000 broken monitors', async (t) => {
  // Collapsing oneOf errors by scanning every error per composite took 100 s here.
  const input = {
    monitors: Array.from({ length: 10_000 }, (_, i) => ({ id: `m${i}`, type: 'http', interval: '30 parsecs', cron: 'x', config: { url: 1 } }))
  }
  const started = performance.now()
  const errors = validateConfig(input, schema)
  const elapsed = performance.now() - started
  t.equal(errors.length, 30_000)
  t.ok(elapsed < 10_000, `took ${Math.round(elapsed)} ms`)
})

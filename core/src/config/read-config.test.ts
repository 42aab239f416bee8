import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { exampleYaml } from './fake-plugins.test.fixture.js'
import { parseConfigText, readConfigFile } from './read-config.js'

t.test('parses YAML and locates values by JSON pointer', async (t) => {
  const parsed = parseConfigText(exampleYaml, 'vedette.yaml')
  t.match(parsed.input, { server: { port: 8080 }, monitors: [{ id: 'self-health', interval: '30s', tags: ['self'] }] })
  t.equal(parsed.filename, 'vedette.yaml')
  // map entries are located at their key, list items at their start
  t.same(parsed.locate('/monitors/0/interval'), { line: 7, column: 5 })
  t.same(parsed.locate('/monitors/0'), { line: 4, column: 5 })
  t.same(parsed.locate('/monitors/0/config/url'), { line: 9, column: 15 })
  t.same(parsed.locate('/monitors/0/tags/0'), { line: 10, column: 12 })
  t.same(parsed.locate('/server/port'), { line: 1, column: 11 })
  t.same(parsed.locate(''), { line: 1, column: 1 })
})

t.test('a missing path is located at its deepest existing ancestor', async (t) => {
  const parsed = parseConfigText(exampleYaml, 'vedette.yaml')
  t.same(parsed.locate('/monitors/0/config/method'), { line: 9, column: 5 })
  t.same(parsed.locate('/monitors/3/id'), { line: 3, column: 1 })
  t.same(parsed.locate('/monitors/x'), { line: 3, column: 1 })
  t.equal(parsed.locate('no-leading-slash'), undefined)
})

t.test('escaped pointer tokens and aliases are followed', async (t) => {
  const parsed = parseConfigText('defaults: &d\n  a/b: 1\n  "~x": 2\nuse: *d\n', 'x.yaml')
  t.same(parsed.locate('/defaults/a~1b'), { line: 2, column: 3 })
  t.same(parsed.locate('/defaults/~0x'), { line: 3, column: 3 })
  t.same(parsed.locate('/use/a~1b'), { line: 2, column: 3 })
})

t.test('JSON documents work and are located too', async (t) => {
  const parsed = parseConfigText('{\n  "server": { "port": 9000 },\n  "monitors": []\n}\n', 'vedette.json')
  t.same(parsed.input, { server: { port: 9000 }, monitors: [] })
  t.same(parsed.locate('/server/port'), { line: 2, column: 15 })
})

t.test('an empty document means every default', async (t) => {
  t.same(parseConfigText('', 'e.yaml').input, {})
  t.same(parseConfigText('# nothing yet\n', 'e.yaml').input, {})
  t.equal(parseConfigText('', 'e.yaml').locate('/server'), undefined)
})

t.test('merge keys are supported', async (t) => {
  const parsed = parseConfigText('base: &b { type: http, interval: 30s }\nm: { <<: *b, id: x }\n', 'm.yaml')
  t.same((parsed.input as { m: unknown }).m, { type: 'http', interval: '30s', id: 'x' })
})

t.test('syntax errors name file, line and column', async (t) => {
  const cases: Array<[string, number, number, RegExp]> = [
    ['server:\n  port: 8080\n monitors: []\n', 3, 1, /same column/],
    ['monitors:\n  - id: a\n  - id: b\n    id: c\n', 4, 5, /unique/],
    ['a: &x [1]\nb: *y\n', 2, 4, /alias \*y has no anchor/]
  ]
  for (const [text, line, column, reason] of cases) {
    const err = t.throws(() => parseConfigText(text, 'bad.yaml'), { code: 'VDT_ERR_CONFIG_SYNTAX', statusCode: 400 }) as unknown as {
      message: string
      details: unknown
    }
    t.match(err.message, new RegExp(`^bad\\.yaml:${line}:${column}: invalid YAML: `))
    t.match(err.message, reason)
    t.match(err.details, [{ pointer: '', line, column, message: /^invalid YAML: / }])
  }
})

t.test('alias bombs are refused', async (t) => {
  let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n'
  for (let i = 1; i < 9; i++) text += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`
  t.throws(() => parseConfigText(text, 'bomb.yaml'), { code: 'VDT_ERR_CONFIG_SYNTAX', message: /alias count/i })
})

t.test('readConfigFile reads files and reports missing or unreadable ones', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'vedette-config-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'vedette.yaml')
  await writeFile(file, exampleYaml)
  const parsed = await readConfigFile(file)
  t.equal(parsed.filename, file)
  t.same(parsed.locate('/monitors/0/timeout'), { line: 8, column: 5 })

  await t.rejects(readConfigFile(join(dir, 'nope.yaml')), {
    code: 'VDT_ERR_CONFIG_NOT_FOUND',
    message: new RegExp(`Config file '.*nope\\.yaml' does not exist`)
  })
  await t.rejects(readConfigFile(dir), { code: 'VDT_ERR_CONFIG_READ', message: /EISDIR/ })
})

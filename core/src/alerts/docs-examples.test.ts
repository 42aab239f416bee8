import t from 'tap'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { interpolateEnv } from '../cli/interpolate-env.js'
import { buildConfigSchema } from '../config/config-schema.js'
import { validateConfig } from '../config/validate-config.js'
import { describeCatalog } from '../engine/load-engine-config.js'
import { templateProblem } from '../notify/templates.js'
import { PluginLoader } from '../plugins/plugin-loader.js'
import type { AlertingInput } from './alerting-types.js'
import { normalizeAlerting } from './normalize-alerting.js'
import { BUILTIN_RULE_KINDS } from './rule-kinds/builtin-rules.js'

const docs = readFileSync(new URL('../../../docs/alerts.md', import.meta.url), 'utf8')
const blocks = [...docs.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string)
// What `vedette start` would find in the environment for the examples' ${VAR}s.
const env = { VEDETTE_WEBHOOK_SECRET: 'example-secret', SMTP_PASSWORD: 'example-password' }

const baseDir = mkdtempSync(join(tmpdir(), 'vedette-alert-docs-'))
t.teardown(() => rmSync(baseDir, { recursive: true, force: true }))
const schema = buildConfigSchema(describeCatalog(new PluginLoader({ engineVersion: '0.1.0', baseDir }).catalog({ storage: 'memory' })))

t.test('every YAML example in docs/alerts.md is a valid config document', async (t) => {
  t.ok(blocks.length >= 10, `${blocks.length} examples`)
  for (const [i, text] of blocks.entries()) {
    const name = `example #${i + 1} (${text.split('\n').find((l) => l.includes('id:'))?.trim() ?? text.slice(0, 40)})`
    const input = parse(interpolateEnv(text, `docs/alerts.md example ${i + 1}`, env)) as Record<string, unknown>
    t.same(validateConfig(input, schema), [], name)
    t.doesNotThrow(() => normalizeAlerting(input as AlertingInput, Date.now()), `${name} normalizes`)
    for (const template of templatesOf(input)) t.equal(templateProblem(template), undefined, `${name}: template ${JSON.stringify(template.slice(0, 40))} parses`)
  }
})

t.test("the issue's example is there word for word", async (t) => {
  const issue = [
    'channels:',
    '  - id: ops-hook',
    "    type: webhook                  # the notifier plugin's short name",
    "    config: { url: 'http://127.0.0.1:9000/hook' }",
    'alerts:',
    '  rules:',
    '    - id: api-down',
    '      kind: consecutive',
    '      threshold: 2',
    '      severity: critical',
    '      monitors: { tags: [api] }    # or ids: [...]',
    '      channels: [ops-hook]',
    ''
  ].join('\n')
  t.ok(blocks.includes(issue))
})

t.test('every built-in rule kind has a section with each of its parameters and an example', async (t) => {
  for (const kind of BUILTIN_RULE_KINDS) {
    const section = new RegExp(`\n### \`${kind.kind}\`\n([\\s\\S]*?)(?=\n##)`).exec(docs)?.[1]
    if (section === undefined) {
      t.fail(`no section for ${kind.kind}`)
      continue
    }
    const schema = kind.paramsSchema as { properties?: Record<string, unknown> }
    for (const param of Object.keys(schema.properties ?? {})) t.match(section, `| \`${param}\` |`, `${kind.kind}: ${param} documented`)
    const examples = blocks.map((b) => parse(interpolateEnv(b, 'docs/alerts.md', env)) as { alerts?: { rules?: Array<{ kind?: string }> } })
    t.ok(examples.some((doc) => doc.alerts?.rules?.some((r) => r.kind === kind.kind)), `${kind.kind}: an example uses it`)
  }
})

function templatesOf(doc: Record<string, unknown>): string[] {
  const holders = [...((doc.channels as Array<Record<string, unknown>> | undefined) ?? []), ...(((doc.alerts as { rules?: Array<Record<string, unknown>> } | undefined)?.rules) ?? [])]
  return holders.flatMap((h) => Object.values((h.template as Record<string, string> | undefined) ?? {}))
}

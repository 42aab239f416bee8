import t from 'tap'
import { mkdtempSync, readdirSync, readFileSync, existsSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { interpolateEnv } from './cli/interpolate-env.js'
import { buildConfigSchema } from './config/config-schema.js'
import { validateConfig } from './config/validate-config.js'
import { describeCatalog } from './engine/load-engine-config.js'
import { PluginLoader } from './plugins/plugin-loader.js'

// Config examples in the docs and plugin READMEs must stay valid: each ```yaml block that
// is a config document (or a list of monitors, or one `monitors:` entry) is validated
// against the real schema with every first-party plugin loaded.
const root = fileURLToPath(new URL('../../', import.meta.url))
const TOP = new Set(['server', 'dataDir', 'logLevel', 'storage', 'cluster', 'plugins', 'engine', 'auth', 'monitors', 'channels', 'users', 'alerts'])
const env = new Proxy({} as NodeJS.ProcessEnv, { get: (_t, name) => (typeof name === 'string' ? exampleValue(name) : undefined), has: () => true })

/** What an operator would export for `${NAME}`: a URL of the right scheme for *_URL names. */
function exampleValue(name: string): string {
  if (/POSTGRES|PG_|DATABASE/.test(name) && name.endsWith('URL')) return 'postgres://vedette:secret@db:5432/vedette'
  if (/REDIS/.test(name)) return 'redis://cache:6379'
  if (name.endsWith('URL')) return 'https://hooks.example.com/vedette'
  if (name.endsWith('PORT')) return '8080'
  return `example-${name.toLowerCase()}`
}

function files(): string[] {
  const out = ['docs/config.md', 'docs/operations.md', 'README.md'].filter((f) => existsSync(join(root, f)))
  for (const kind of ['checks', 'storage', 'notifiers', 'auth']) {
    for (const name of readdirSync(join(root, 'plugins', kind))) {
      const readme = join('plugins', kind, name, 'README.md')
      if (existsSync(join(root, readme))) out.push(readme)
    }
  }
  return out
}

const baseDir = mkdtempSync(join(tmpdir(), 'vedette-docs-'))
t.teardown(() => rmSync(baseDir, { recursive: true, force: true }))

t.test('config examples in the docs and READMEs validate', async (t) => {
  let checked = 0
  for (const file of files()) {
    const text = readFileSync(join(root, file), 'utf8')
    for (const [i, m] of [...text.matchAll(/```ya?ml\n([\s\S]*?)```/g)].entries()) {
      let doc: unknown
      try {
        doc = parse(interpolateEnv(m[1] as string, `${file} example ${i + 1}`, env))
      } catch {
        continue // a shell session or a fragment with placeholders (`...`), not a document
      }
      const input = asDocument(doc)
      if (input === undefined) continue
      const storage = (input.storage as { plugin?: string } | undefined)?.plugin
      const cluster = (input.cluster as { plugin?: string } | undefined)?.plugin
      const catalog = new PluginLoader({ engineVersion: '0.1.0', baseDir }).catalog({
        ...(storage === undefined ? { storage: 'memory' } : { storage }),
        ...(cluster === undefined ? {} : { cluster })
      })
      t.same(validateConfig(input, buildConfigSchema(describeCatalog(catalog))), [], `${file} example ${i + 1}`)
      checked++
    }
  }
  t.ok(checked >= 15, `${checked} examples checked`)
})

/** A config document, a list of monitors, or a single monitor; undefined for anything else (a plugin's `config:` block alone). */
function asDocument(doc: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(doc)) return doc.every((m) => isMonitor(m)) ? { monitors: doc } : undefined
  if (doc === null || typeof doc !== 'object') return undefined
  const keys = Object.keys(doc)
  if (keys.length > 0 && keys.every((k) => TOP.has(k))) return doc as Record<string, unknown>
  return isMonitor(doc) ? { monitors: [doc] } : undefined
}

function isMonitor(value: unknown): boolean {
  return value !== null && typeof value === 'object' && 'id' in value && 'type' in value && 'config' in value
}

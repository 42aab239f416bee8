import t from 'tap'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts') && !d.name.includes('.test.'))
    .map((d) => join(d.parentPath, d.name))
}

t.test('every VDT_ERR code in the source is documented in docs/errors.md', async (t) => {
  const docs = readFileSync(join(root, 'docs/errors.md'), 'utf8')
  const dirs = ['sdk/src', 'core/src']
  for (const kind of readdirSync(join(root, 'plugins'))) {
    for (const name of readdirSync(join(root, 'plugins', kind))) dirs.push(join('plugins', kind, name, 'src'))
  }
  const codes = new Set<string>()
  for (const dir of dirs) {
    for (const file of sources(join(root, dir))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/'(VDT_ERR_[A-Z0-9_]+)'/g)) codes.add(m[1] as string)
    }
  }
  t.ok(codes.size > 20, `${codes.size} codes found`)
  const missing = [...codes].filter((c) => !docs.includes(`\`${c}\``))
  t.same(missing, [], 'undocumented codes')
})

#!/usr/bin/env node
// Runs every package's compiled tap tests from the repo root and closes with one
// line `tests: N passed, N failed` taken from tap's own summary, which CI reads.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const args = process.argv.slice(2)
const files =
  args.length > 0
    ? args
    : ['sdk', 'core', ...packagesUnder('plugins')].flatMap((pkg) => testsUnder(join(pkg, 'dist'))).sort()
if (files.length === 0) {
  console.error('no compiled test files found: run `npm run build` first')
  process.exit(1)
}

const child = spawn('node_modules/.bin/tap', files, {
  stdio: ['ignore', 'pipe', 'inherit']
})
let tail = ''
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk)
  tail = (tail + chunk.toString()).slice(-4096)
})
child.on('close', (code, signal) => {
  // tap ends its TAP stream with `# { total: N, pass: N, fail: N, ... }`.
  const m = /# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?(?:, todo: (\d+))?(?:, skip: (\d+))?/.exec(tail)
  const pass = Number(m?.[2] ?? 0)
  const fail = Number(m?.[3] ?? 0)
  const skip = Number(m?.[5] ?? 0)
  const failed = m ? fail : 1
  console.log(`tests: ${pass} passed, ${failed} failed${skip > 0 ? `, ${skip} skipped` : ''}`)
  process.exit(code ?? (signal ? 1 : 0))
})

function packagesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((kind) => readdirSync(join(dir, kind.name), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(dir, kind.name, d.name)))
}

function testsUnder(dir) {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.test.js'))
    .map((d) => join(d.parentPath ?? d.path, d.name))
}

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger, type PluginContext, type StorageInstance } from '@vedette/sdk'
import { storageConformance } from '@vedette/sdk/testing'
import t from 'tap'
import plugin from './index.js'

const dir = mkdtempSync(join(tmpdir(), 'vedette-sqlite-conformance-'))
const ctx: PluginContext = {
  name: '@vedette/storage-sqlite',
  engineVersion: '0.1.0',
  dataDir: dir,
  resolvePath: (p) => join(dir, p),
  logger: silentLogger
}

// Each create() gets its own file; reopen() opens the newest one again.
let files = 0
let lastPath = ''
await storageConformance(
  t,
  {
    async create(): Promise<StorageInstance> {
      lastPath = join(dir, `store-${++files}`, 'vedette.db')
      return plugin.create({ path: lastPath }, ctx)
    },
    async reopen(): Promise<StorageInstance> {
      return plugin.create({ path: lastPath }, ctx)
    },
    async cleanup(): Promise<void> {
      rmSync(dir, { recursive: true, force: true })
    }
  },
  { name: 'sqlite' }
)

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger, type PluginContext, type RetentionPolicy, type StorageInstance } from '@vedette/sdk'
import type { StorageFactoryOptions } from '@vedette/sdk/testing'
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

/** The suite's options as this plugin's config block (retention as integer milliseconds, which it accepts). */
const config = (path: string, options?: StorageFactoryOptions) => {
  const p: RetentionPolicy | undefined = options?.retention
  return p === undefined ? { path } : { path, retention: { raw: p.rawMs, minute: p.minuteMs, hour: p.hourMs, day: p.dayMs } }
}

// Each create() gets its own file; reopen() opens the newest one again.
let files = 0
let lastPath = ''
await storageConformance(
  t,
  {
    async create(options): Promise<StorageInstance> {
      lastPath = join(dir, `store-${++files}`, 'vedette.db')
      return plugin.create(config(lastPath, options), ctx)
    },
    async reopen(options): Promise<StorageInstance> {
      return plugin.create(config(lastPath, options), ctx)
    },
    async cleanup(): Promise<void> {
      rmSync(dir, { recursive: true, force: true })
    }
  },
  { name: 'sqlite' }
)

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { StorageInstance } from '@vedette/sdk'
import type { StorageFactoryOptions } from '@vedette/sdk/testing'
import { storageConformance } from '@vedette/sdk/testing'
import t from 'tap'
import plugin from './index.js'
import { context, dropSchemas, PG_URL, requirePostgres, testSchema } from './postgres-available.test.util.js'

if (await requirePostgres(t)) {
  const dir = mkdtempSync(join(tmpdir(), 'vedette-pg-conformance-'))
  // Each create() gets its own schema; reopen() opens the newest one again.
  const schemas: string[] = []
  const config = (schema: string, options?: StorageFactoryOptions): Record<string, unknown> => {
    const r = options?.retention
    return {
      // Commits wait for no fsync here: nothing in this file crashes the server, and it
      // keeps ~2,500 single-row transactions from costing a disk flush each.
      url: `${PG_URL}?options=-c%20synchronous_commit%3Doff`,
      schema,
      poolSize: 4,
      ...(r === undefined ? {} : { retention: { raw: r.rawMs, minute: r.minuteMs, hour: r.hourMs, day: r.dayMs } })
    }
  }
  await storageConformance(
    t,
    {
      async create(options): Promise<StorageInstance> {
        schemas.push(testSchema())
        return plugin.create(config(schemas[schemas.length - 1] as string, options) as never, context(dir))
      },
      async reopen(options): Promise<StorageInstance> {
        return plugin.create(config(schemas[schemas.length - 1] as string, options) as never, context(dir))
      },
      async cleanup(): Promise<void> {
        await dropSchemas(schemas)
        rmSync(dir, { recursive: true, force: true })
      }
    },
    { name: 'postgres' }
  )
}

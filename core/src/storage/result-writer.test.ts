import t from 'tap'
import { silentLogger } from '@vedette/sdk'
import type { CheckResult } from '@vedette/sdk'
import { ResultWriter } from './result-writer.js'

const result = (i: number): CheckResult => ({ tenantId: 'default', monitorId: `m${i % 7}`, startedAt: 1_700_000_000_000 + i, latencyMs: 1, status: 'up' })

t.test('batches are written two at a time; a failed one is retried first and nothing is lost or written twice', async (t) => {
  const stored: CheckResult[] = []
  let inFlight = 0
  let most = 0
  let failNext = 1
  const storage = {
    async writeResults(batch: readonly CheckResult[]): Promise<void> {
      inFlight++
      most = Math.max(most, inFlight)
      await new Promise((r) => setTimeout(r, 5))
      inFlight--
      if (failNext > 0 && batch[0]?.startedAt === 1_700_000_000_000) {
        failNext--
        throw new Error('connection reset')
      }
      stored.push(...batch)
    }
  }
  const writer = new ResultWriter({ storage, flushIntervalMs: 10, maxBatch: 100, logger: silentLogger })
  for (let i = 0; i < 1000; i++) writer.push(result(i))
  await writer.flush() // the first batch fails here and goes back to the head
  t.ok(writer.pending >= 100, 'the failed batch is kept')
  await writer.close()
  t.equal(most, 2, 'two batches in flight at most')
  t.equal(stored.length, 1000, 'every result stored')
  t.equal(new Set(stored.map((r) => r.startedAt)).size, 1000, 'none twice')
  t.equal(writer.written, 1000)
  t.equal(writer.pending, 0)
})

t.test('close rejects when storage keeps refusing, and keeps the results', async (t) => {
  const writer = new ResultWriter({ storage: { writeResults: async () => Promise.reject(new Error('down')) }, flushIntervalMs: 10, maxBatch: 10, logger: silentLogger })
  for (let i = 0; i < 25; i++) writer.push(result(i))
  await t.rejects(writer.close(), /25 check results could not be written/)
  t.equal(writer.pending, 25)
})

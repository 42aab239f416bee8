import t from 'tap'
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'
import { silentLogger } from '@vedette/sdk'
import type { CheckTask } from '@vedette/sdk/worker'
import { CheckPools } from './check-pools.js'
import { FIXTURE_PLUGINS } from '../test-support.js'

const mod = (name: string): string => pathToFileURL(join(FIXTURE_PLUGINS, name, 'index.js')).href
const task = (name: string, id: string, timeoutMs = 500, config: Record<string, unknown> = {}): CheckTask => ({
  module: mod(name),
  monitor: { tenantId: 'default', id, name: id, tags: [] },
  config,
  timeoutMs
})

t.test('a throwing, hanging or exiting plugin affects only its own check', async (t) => {
  const pools = new CheckPools({ workers: 1, concurrencyPerWorker: 16, maxQueue: 100, processWorkers: 1, logger: silentLogger })
  t.teardown(() => pools.close())
  // One worker thread: every bad check shares it with the good ones.
  const [thrown, hung, exited, ...good] = await Promise.all([
    pools.run(task('check-throws', 'throws'), 'thread'),
    pools.run(task('check-hangs', 'hangs', 300), 'thread'),
    pools.run(task('check-exit', 'exits'), 'thread'),
    ...Array.from({ length: 5 }, (_, i) => pools.run(task('check-ok', `ok${i}`, 2000, { delayMs: 100 }), 'thread'))
  ])
  t.match(thrown, { status: 'unknown', reason: 'error', message: /boom from plugin/ })
  t.match(hung, { status: 'down', reason: 'timeout', message: /300 ms/ })
  t.ok(hung!.latencyMs >= 290 && hung!.latencyMs < 1000, `timed out at ${hung!.latencyMs} ms`)
  t.match(exited, { status: 'unknown', reason: 'error', message: /VDT_ERR_CHECK_PROCESS_EXIT/ })
  t.same(good.map((r) => r.status), ['up', 'up', 'up', 'up', 'up'], 'checks sharing the worker completed normally')
  const pids = new Set(good.map((r) => (r.observations as { pid: number }).pid))
  t.equal(pids.size, 1, 'the good checks ran in the same worker as the bad ones, which survived')
  // The worker is still usable afterwards.
  t.equal((await pools.run(task('check-ok', 'after', 2000), 'thread')).status, 'up')
})

t.test('process isolation: a busy-looping plugin is killed at its deadline', async (t) => {
  const pools = new CheckPools({ workers: 1, concurrencyPerWorker: 4, maxQueue: 100, processWorkers: 1, logger: silentLogger })
  t.teardown(() => pools.close())
  const t0 = Date.now()
  const [spun, ok] = await Promise.all([pools.run(task('check-spin', 'spin', 300), 'process'), pools.run(task('check-ok', 'ok', 2000), 'thread')])
  t.match(spun, { status: 'down', reason: 'timeout', message: /killed/ })
  t.ok(Date.now() - t0 < 3000, 'did not wait for the loop')
  t.equal(ok!.status, 'up')
  // Each isolated task gets a fresh process, so the next one works.
  const again = await pools.run(task('check-ok', 'isolated-ok', 5000), 'process')
  t.equal(again.status, 'up')
  t.not((again.observations as { pid: number }).pid, process.pid, 'ran in another process')
})

t.test('a full queue records overloaded runs instead of growing', async (t) => {
  const pools = new CheckPools({ workers: 1, concurrencyPerWorker: 1, maxQueue: 2, processWorkers: 1, logger: silentLogger })
  t.teardown(() => pools.close())
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => pools.run(task('check-ok', `q${i}`, 2000, { delayMs: 50 }), 'thread')))
  const overloaded = results.filter((r) => r.reason === 'overloaded')
  t.ok(overloaded.length >= 4, `${overloaded.length} of 8 refused`)
  t.ok(overloaded.every((r) => r.status === 'unknown'))
  t.ok(results.filter((r) => r.status === 'up').length >= 2, 'the ones admitted ran')
})

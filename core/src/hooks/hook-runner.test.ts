import t from 'tap'
import { silentLogger } from '@vedette/sdk'
import type { CheckResult } from '@vedette/sdk'
import { HookRunner } from './hook-runner.js'

const result: CheckResult = { tenantId: 'default', monitorId: 'm', startedAt: 1, latencyMs: 5, status: 'up' }

function runner(errors: string[] = []): HookRunner {
  return new HookRunner({ timeoutMs: 100, logger: silentLogger, onHandlerError: (hook, plugin, err) => errors.push(`${hook}:${plugin}:${(err as { code?: string }).code}`) })
}

t.test('order: pre bucket, then dependencies, then config order, post last', async (t) => {
  const hooks = runner()
  const calls: string[] = []
  const mk = (name: string) => () => void calls.push(name)
  hooks.add('a', 'onStateChange', { handler: mk('a'), order: 'post' })
  hooks.add('b', 'onStateChange', { handler: mk('b'), after: ['c'] })
  hooks.add('c', 'onStateChange', mk('c'))
  hooks.add('d', 'onStateChange', { handler: mk('d'), order: 'pre' })
  hooks.add('e', 'onStateChange', mk('e'))
  t.same(hooks.order('onStateChange'), ['d', 'c', 'b', 'e', 'a'])
})

t.test('a dependency cycle is refused at registration', async (t) => {
  const hooks = runner()
  hooks.add('x', 'onReady', { handler: () => {}, after: ['y'] })
  t.throws(() => hooks.add('y', 'onReady', { handler: () => {}, after: ['x'] }), { code: 'VDT_ERR_HOOK_CYCLE' })
})

t.test('onCheckResult runs in sequence and each handler may enrich', async (t) => {
  const hooks = runner()
  hooks.add('p1', 'onCheckResult', (r) => ({ ...r, message: 'one' }))
  hooks.add('p2', 'onCheckResult', (r) => ({ ...r, message: `${r.message ?? ''}+two` }))
  hooks.add('p3', 'onCheckResult', () => undefined)
  const out = await hooks.runCheckResult(result)
  t.equal(out.message, 'one+two')
})

t.test('a throwing or hanging handler is wrapped, counted and does not stop the others', async (t) => {
  const errors: string[] = []
  const hooks = runner(errors)
  hooks.add('broken', 'onCheckResult', () => {
    throw new Error('nope')
  })
  hooks.add('stuck', 'onCheckResult', () => new Promise(() => {}))
  hooks.add('good', 'onCheckResult', (r) => ({ ...r, message: 'still ran' }))
  const out = await hooks.runCheckResult(result)
  t.equal(out.message, 'still ran')
  t.same(errors, ['onCheckResult:broken:VDT_ERR_HOOK_FAILED', 'onCheckResult:stuck:VDT_ERR_HOOK_TIMEOUT'])
})

t.test('onSchedule: the first veto wins and names its plugin', async (t) => {
  const hooks = runner()
  let laterCalled = false
  hooks.add('maint', 'onSchedule', () => ({ veto: 'maintenance window' }))
  hooks.add('later', 'onSchedule', () => {
    laterCalled = true
  })
  t.same(await hooks.runSchedule({ tenantId: 'default', monitorId: 'm', type: 'http', tags: [], dueAt: 0 }), { veto: 'maintenance window', by: 'maint' })
  t.notOk(laterCalled)
  t.equal(await runner().runSchedule({ tenantId: 'default', monitorId: 'm', type: 'http', tags: [], dueAt: 0 }), undefined)
})

t.test('onAlert handlers filter and reshape', async (t) => {
  const hooks = runner()
  hooks.add('tagger', 'onAlert', (a) => ({ ...a, tagged: true }))
  hooks.add('filter', 'onAlert', (a) => (a.monitorId === 'quiet' ? false : undefined))
  t.same(await hooks.runAlert({ tenantId: 'default', monitorId: 'loud', kind: 'firing' }), { tenantId: 'default', monitorId: 'loud', kind: 'firing', tagged: true })
  t.equal(await hooks.runAlert({ tenantId: 'default', monitorId: 'quiet', kind: 'firing' }), false)
})

t.test('onStateChange runs handlers in parallel', async (t) => {
  const hooks = runner()
  let running = 0
  let peak = 0
  for (const p of ['a', 'b', 'c']) {
    hooks.add(p, 'onStateChange', async () => {
      running++
      peak = Math.max(peak, running)
      await new Promise((r) => setTimeout(r, 20))
      running--
    })
  }
  await hooks.runParallel('onStateChange', { tenantId: 'default', monitorId: 'm', from: 'up', to: 'down', reason: 'x', at: 0 })
  t.equal(peak, 3)
})

t.test('preClose in order, onClose last-in-first-out', async (t) => {
  const hooks = runner()
  const calls: string[] = []
  for (const p of ['a', 'b', 'c']) {
    hooks.add(p, 'preClose', () => void calls.push(`pre:${p}`))
    hooks.add(p, 'onClose', () => void calls.push(`close:${p}`))
  }
  await hooks.runClose()
  t.same(calls, ['pre:a', 'pre:b', 'pre:c', 'close:c', 'close:b', 'close:a'])
})

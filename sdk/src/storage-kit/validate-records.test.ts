import t from 'tap'
import { assertMonitor, assertResult, assertTransition, incidentFilter } from './validate-records.js'

const invalid = { code: 'VDT_ERR_STORAGE_INVALID_RECORD', statusCode: 500 }

t.test('results', async (t) => {
  const ok = { tenantId: 'default', monitorId: 'm', startedAt: 1, status: 'up', latencyMs: 12, phases: { dns: 1 } }
  t.doesNotThrow(() => assertResult(ok, 'result #0 of the batch'))
  t.throws(() => assertResult({ ...ok, status: 'fine' }, 'result #3 of the batch'), { ...invalid, message: /^Invalid result #3 of the batch: status must be one of/ })
  t.throws(() => assertResult({ ...ok, latencyMs: -1 }, 'r'), { message: /latencyMs/ })
  t.throws(() => assertResult({ ...ok, phases: { tls: 'slow' } }, 'r'), { message: /phase tls/ })
  t.throws(() => assertResult(null, 'r'), { message: /not an object/ })
})

t.test('monitors', async (t) => {
  const ok = { tenantId: 'default', id: 'm', name: 'M', type: 'http', enabled: true, tags: [], definition: {}, createdAt: 1, updatedAt: 1 }
  t.doesNotThrow(() => assertMonitor(ok))
  t.throws(() => assertMonitor({ ...ok, id: '' }), { ...invalid, message: /id must be a non-empty string/ })
  t.throws(() => assertMonitor({ ...ok, tags: [1] }), { message: /tags/ })
})

t.test('transitions', async (t) => {
  const ok = { tenantId: 'default', monitorId: 'm', from: 'up', to: 'down', reason: 'timeout', at: 1 }
  t.doesNotThrow(() => assertTransition(ok))
  t.throws(() => assertTransition({ ...ok, to: 'sideways' }), { ...invalid, message: /to must be one of/ })
})

t.test('incident filters', async (t) => {
  t.same(incidentFilter(undefined), { monitorId: undefined, open: undefined })
  t.same(incidentFilter({ monitorId: 'm', open: true }), { monitorId: 'm', open: true })
  t.throws(() => incidentFilter({ open: 'yes' as never }), { code: 'VDT_ERR_STORAGE_INVALID_QUERY', statusCode: 400 })
})

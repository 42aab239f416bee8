import t from 'tap'
import { certExpirySeconds } from './cert-expiry.js'

const STARTED = Date.UTC(2026, 0, 1) // 1767225600 s
const NOT_AFTER = Date.UTC(2026, 2, 25, 12) / 1000 // 1774440000 s

t.test('absolute dates in every usual spelling', async (t) => {
  t.equal(certExpirySeconds({ certNotAfter: '2026-03-25T12:00:00Z' }, STARTED), NOT_AFTER, 'ISO 8601')
  t.equal(certExpirySeconds({ validTo: 'Mar 25 12:00:00 2026 GMT' }, STARTED), NOT_AFTER, "Node's getPeerCertificate().valid_to format")
  t.equal(certExpirySeconds({ notAfter: NOT_AFTER }, STARTED), NOT_AFTER, 'epoch seconds')
  t.equal(certExpirySeconds({ certExpiresAt: NOT_AFTER * 1000 }, STARTED), NOT_AFTER, 'epoch milliseconds')
  t.equal(certExpirySeconds({ certNotAfter: String(NOT_AFTER) }, STARTED), NOT_AFTER, 'epoch seconds as a string')
  t.equal(certExpirySeconds({ certNotAfter: String(NOT_AFTER * 1000) }, STARTED), NOT_AFTER, 'epoch milliseconds as a string')
})

t.test('days left count from the start of the run', async (t) => {
  t.equal(certExpirySeconds({ daysUntilExpiry: 10 }, STARTED), STARTED / 1000 + 10 * 86_400)
  t.equal(certExpirySeconds({ certDaysRemaining: -2 }, STARTED), STARTED / 1000 - 2 * 86_400, 'an expired certificate has a past expiry')
  t.equal(certExpirySeconds({ daysUntilExpiry: 10, certNotAfter: '2026-03-25T12:00:00Z' }, STARTED), NOT_AFTER, 'an exact date beats rounded days')
})

t.test('nested objects and chains: the earliest wins', async (t) => {
  t.equal(certExpirySeconds({ tls: { certificate: { notAfter: '2026-03-25T12:00:00Z' } } }, STARTED), NOT_AFTER)
  const chain = [{ validTo: '2030-01-01T00:00:00Z' }, { validTo: '2026-03-25T12:00:00Z' }, { validTo: '2035-01-01T00:00:00Z' }]
  t.equal(certExpirySeconds({ certificates: chain }, STARTED), NOT_AFTER, 'top-level chain')
  t.equal(certExpirySeconds({ tls: { chain } }, STARTED), NOT_AFTER, 'chain under tls')
  t.equal(certExpirySeconds({ certNotAfter: '2030-01-01T00:00:00Z', certificate: { notAfter: '2026-03-25T12:00:00Z' } }, STARTED), NOT_AFTER)
})

t.test('nothing usable: undefined, never NaN or 0', async (t) => {
  t.equal(certExpirySeconds(undefined, STARTED), undefined)
  t.equal(certExpirySeconds({}, STARTED), undefined)
  t.equal(certExpirySeconds({ certNotAfter: 'soon' }, STARTED), undefined, 'unparsable date')
  t.equal(certExpirySeconds({ certNotAfter: 0 }, STARTED), undefined, 'zero epoch')
  t.equal(certExpirySeconds({ certNotAfter: -5 }, STARTED), undefined, 'negative epoch')
  t.equal(certExpirySeconds({ certNotAfter: null, daysUntilExpiry: 'ten' }, STARTED), undefined, 'wrong types')
  t.equal(certExpirySeconds({ body: { notAfter: '2030-01-01T00:00:00Z' } }, STARTED), undefined, 'a date deep in some unrelated observation is not a certificate')
  t.equal(certExpirySeconds({ expiresAt: '2030-01-01T00:00:00Z' }, STARTED), undefined, 'a generic expiresAt (tokens, caches) is not a certificate')
})

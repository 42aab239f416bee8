import t from 'tap'
import { parsePingOutput } from './parse-ping.js'

import { ALL_LOST, ALL_REPLIED, BUSYBOX, DUPLICATES, IPV6, PARTIAL_LOSS, UNREACHABLE } from './ping-samples.test.util.js'

t.test('all replied', async (t) => {
  t.same(parsePingOutput(ALL_REPLIED), {
    address: '127.0.0.1',
    transmitted: 2,
    received: 2,
    lossPercent: 0,
    duplicates: 0,
    errors: 0,
    rtt: { min: 0.06, avg: 0.172, max: 0.284, stddev: 0.112 }
  })
  t.match(parsePingOutput(IPV6), { address: '::1', transmitted: 2, received: 2, rtt: { avg: 0.087 } })
})

t.test('partial loss keeps the printed percentage', async (t) => {
  t.match(parsePingOutput(PARTIAL_LOSS), { address: '10.20.0.7', transmitted: 3, received: 2, lossPercent: 33.3333, rtt: { min: 1.21, avg: 1.335, max: 1.46, stddev: 0.125 } })
})

t.test('100 % loss: no rtt line', async (t) => {
  t.same(parsePingOutput(ALL_LOST), { address: '127.0.0.1', transmitted: 1, received: 0, lossPercent: 100, duplicates: 0, errors: 0, rtt: undefined })
  t.match(parsePingOutput(UNREACHABLE), { transmitted: 2, received: 0, errors: 2, lossPercent: 100, rtt: undefined })
})

t.test('duplicates are counted apart from replies', async (t) => {
  t.match(parsePingOutput(DUPLICATES), { transmitted: 1, received: 1, duplicates: 1, lossPercent: 0 })
})

t.test('BusyBox format: "packets received", round-trip without mdev', async (t) => {
  t.match(parsePingOutput(BUSYBOX), { address: '127.0.0.1', transmitted: 1, received: 1, lossPercent: 0, rtt: { min: 0.045, avg: 0.045, max: 0.045, stddev: undefined } })
})

t.test('no statistics block: undefined', async (t) => {
  t.equal(parsePingOutput(''), undefined)
  t.equal(parsePingOutput('ping: nonexistent.invalid: Name or service not known\n'), undefined)
})

import t from 'tap'
import { assertObservationsDeclared, closedPort, runCheck, runCheckInline } from '@vedette/sdk/testing'
import { dnsCheck } from './index.js'
import type { DnsCheckConfig, DnsRecordType } from './index.js'
import { ZONE, fixtureZone, plugin, serveDns, silent } from './test-support.test.util.js'

const SERVER = '127.0.0.1'

/** Every supported type: the answers' data and TTLs the check must report. */
const CASES: Array<[DnsRecordType, string, unknown[], number[]]> = [
  ['A', 'example.test', ['10.0.0.1', '10.0.0.2'], [300, 60]],
  ['AAAA', 'example.test', ['2001:db8::1'], [301]],
  ['CNAME', 'www.example.test', ['example.test'], [302]],
  ['MX', 'example.test', [{ preference: 10, exchange: 'mail.example.test' }, { preference: 20, exchange: 'backup.example.test' }], [303, 303]],
  ['TXT', 'example.test', ['v=spf1 -all', 'google-site-verification=abc'], [304, 304]],
  ['NS', 'example.test', ['ns1.example.test', 'ns2.example.test'], [305, 305]],
  [
    'SOA',
    'example.test',
    [{ mname: 'ns1.example.test', rname: 'hostmaster.example.test', serial: 2025010101, refresh: 7200, retry: 900, expire: 1209600, minimum: 300 }],
    [306]
  ],
  ['SRV', '_sip._tcp.example.test', [{ priority: 10, weight: 5, port: 5060, target: 'sip.example.test' }], [307]],
  ['CAA', 'example.test', [{ flags: 0, tag: 'issue', value: 'letsencrypt.org' }], [308]]
]

t.test('every record type: answers, TTLs, rcode', async (t) => {
  const dns = await serveDns(t)
  for (const [type, name, data, ttls] of CASES) {
    const result = await runCheckInline(dnsCheck, { name, type, server: SERVER, port: dns.port })
    t.equal(result.status, 'up', `${type}: ${String(result.message)}`)
    const answers = result.observations?.answers as Array<{ name: string; type: string; ttl: number; data: unknown }>
    t.same(answers.map((a) => a.data), data, `${type} data`)
    t.same(answers.map((a) => a.ttl), ttls, `${type} ttls`)
    t.ok(answers.every((a) => a.type === type && a.name === name), `${type} names and types`)
    t.match(result.observations, { rcode: 'NOERROR', answerCount: data.length, ttlMin: Math.min(...ttls), server: SERVER, transport: 'udp', truncated: false })
    t.type(result.phases?.query, 'number')
  }
  t.same(dns.queries.map((q) => q.type), CASES.map(([type]) => type))
  t.ok(dns.queries.every((q) => q.transport === 'udp' && q.rd), 'over UDP with RD set')
})

t.test('through the real worker: up, with a message naming the answers', async (t) => {
  const dns = await serveDns(t)
  const result = await runCheck(plugin, { name: 'example.test.', server: SERVER, port: dns.port })
  t.equal(result.status, 'up', String(result.message))
  t.equal(result.message, `NOERROR for example.test A from 127.0.0.1:${dns.port} over udp: [10.0.0.1, 10.0.0.2]`)
  t.same(Object.keys(result.phases ?? {}), ['query'])
  assertObservationsDeclared(t, plugin, result.observations)
})

t.test('a CNAME chain: every record is an answer', async (t) => {
  const dns = await serveDns(t)
  const result = await runCheckInline(dnsCheck, { name: 'www.example.test', server: SERVER, port: dns.port, expectAnswers: ['10.0.0.1', 'example.test.'] })
  t.equal(result.status, 'up', String(result.message))
  t.same((result.observations?.answers as unknown[]).length, (ZONE['www.example.test A'] ?? []).length)
  t.equal(result.observations?.ttlMin, 300)
})

t.test('NXDOMAIN is down; expected, it is up', async (t) => {
  const dns = await serveDns(t)
  const down = await runCheckInline(dnsCheck, { name: 'example.invalid', server: SERVER, port: dns.port })
  t.equal(down.status, 'down')
  t.equal(down.message, 'NXDOMAIN for example.invalid')
  t.notOk(down.reason, 'decided by the check')
  t.match(down.observations, { rcode: 'NXDOMAIN', answers: [], answerCount: 0 })
  t.notOk('ttlMin' in (down.observations ?? {}), 'no ttlMin without answers')
  const up = await runCheckInline(dnsCheck, { name: 'gone.example.test', server: SERVER, port: dns.port, expectRcode: 'NXDOMAIN' })
  t.equal(up.status, 'up', String(up.message))
  const unexpected = await runCheckInline(dnsCheck, { name: 'example.test', server: SERVER, port: dns.port, expectRcode: 'NXDOMAIN' })
  t.equal(unexpected.status, 'down')
  t.equal(unexpected.message, 'NOERROR for example.test (expected NXDOMAIN)')
  const servfail = await runCheckInline(dnsCheck, { name: 'servfail.example.test', server: SERVER, port: dns.port })
  t.equal(servfail.message, 'SERVFAIL for servfail.example.test')
})

t.test('NOERROR without answers (NODATA) is up unless answers are expected', async (t) => {
  const dns = await serveDns(t)
  const config: DnsCheckConfig = { name: 'www.example.test', type: 'MX', server: SERVER, port: dns.port }
  const up = await runCheckInline(dnsCheck, config)
  t.equal(up.status, 'up', String(up.message))
  t.equal(up.observations?.answerCount, 0)
  const down = await runCheckInline(dnsCheck, { ...config, expectAnswers: ['mail.example.test'] })
  t.equal(down.message, 'expected mail.example.test not in answers []')
})

t.test('expectAnswers: up when all are present, down naming the missing', async (t) => {
  const dns = await serveDns(t)
  const base = { server: SERVER, port: dns.port }
  const pass: Array<Partial<DnsCheckConfig> & { expectAnswers: string[] }> = [
    { name: 'example.test', expectAnswers: ['10.0.0.2', '10.0.0.1'] },
    { name: 'example.test', type: 'AAAA', expectAnswers: ['2001:DB8:0::1'] },
    { name: 'example.test', type: 'MX', expectAnswers: ['10 mail.example.test.', 'BACKUP.example.test'] },
    { name: 'example.test', type: 'TXT', expectAnswers: ['google-site-verification=abc'] },
    { name: '_sip._tcp.example.test', type: 'SRV', expectAnswers: ['10 5 5060 sip.example.test'] },
    { name: 'example.test', type: 'SOA', expectAnswers: ['ns1.example.test'] },
    { name: 'example.test', type: 'CAA', expectAnswers: ['0 issue "letsencrypt.org"', 'letsencrypt.org'] }
  ]
  for (const config of pass) {
    const result = await runCheckInline(dnsCheck, { ...base, ...config } as DnsCheckConfig)
    t.equal(result.status, 'up', `${config.type ?? 'A'}: ${String(result.message)}`)
  }
  const a = await runCheckInline(dnsCheck, { ...base, name: 'example.test', expectAnswers: ['10.0.0.1', '10.0.0.9'] })
  t.equal(a.status, 'down')
  t.equal(a.message, 'expected 10.0.0.9 not in answers [10.0.0.1, 10.0.0.2]')
  const txt = await runCheckInline(dnsCheck, { ...base, name: 'example.test', type: 'TXT', expectAnswers: ['V=SPF1 -ALL'] })
  t.equal(txt.message, 'expected V=SPF1 -ALL not in answers [v=spf1 -all, google-site-verification=abc]', 'TXT compares exactly')
})

t.test('TCP transport', async (t) => {
  const dns = await serveDns(t)
  const result = await runCheckInline(dnsCheck, { name: 'example.test', type: 'MX', server: SERVER, port: dns.port, transport: 'tcp', recursion: false })
  t.equal(result.status, 'up', String(result.message))
  t.equal(result.message, `NOERROR for example.test MX from 127.0.0.1:${dns.port} over tcp: [10 mail.example.test, 20 backup.example.test]`)
  t.match(result.observations, { transport: 'tcp', truncated: false, answerCount: 2 })
  t.same(dns.queries, [{ transport: 'tcp', name: 'example.test', type: 'MX', rd: false }])
})

t.test('a truncated UDP response is retried over TCP', async (t) => {
  const dns = await serveDns(t)
  const result = await runCheckInline(dnsCheck, { name: 'big.example.test', type: 'TXT', server: SERVER, port: dns.port, expectAnswers: ['chunk 19 ' + 'x'.repeat(100)] })
  t.equal(result.status, 'up', String(result.message))
  t.match(result.message, new RegExp(`^NOERROR for big\\.example\\.test TXT from 127\\.0\\.0\\.1:${dns.port} over tcp \\(udp response truncated\\): \\[chunk 0 x+…, .*, … 10 more\\]$`))
  t.match(result.observations, { transport: 'tcp', truncated: true, answerCount: 20, ttlMin: 309 })
  t.same(dns.queries.map((q) => q.transport), ['udp', 'tcp'])
  assertObservationsDeclared(t, plugin, result.observations)
})

t.test('a server that never answers: down with reason timeout, before the deadline', async (t) => {
  const dns = await serveDns(t, silent)
  for (const transport of ['udp', 'tcp'] as const) {
    const result = await runCheckInline(dnsCheck, { name: 'example.test', server: SERVER, port: dns.port, transport }, { timeoutMs: 300 })
    t.equal(result.status, 'down')
    t.equal(result.reason, 'timeout')
    t.match(result.message, new RegExp(`^no response from 127\\.0\\.0\\.1:${dns.port} over ${transport} within \\d+ ms$`))
    t.match(result.observations, { server: SERVER, transport, truncated: false })
    t.notOk('rcode' in (result.observations ?? {}))
  }
})

t.test('UDP resends once after a lost datagram', async (t) => {
  let seen = 0
  const dns = await serveDns(t, (query, transport) => (++seen === 1 ? undefined : fixtureZone(query, transport)))
  const result = await runCheckInline(dnsCheck, { name: 'example.test', server: SERVER, port: dns.port }, { timeoutMs: 3000 })
  t.equal(result.status, 'up', String(result.message))
  t.equal(dns.queries.length, 2)
  t.ok((result.phases?.query as number) >= 1000, 'answered after the resend')
})

t.test('aborting the signal ends the run and closes the socket', async (t) => {
  const dns = await serveDns(t, silent)
  const controller = new AbortController()
  setTimeout(() => controller.abort(new Error('stopping')), 100)
  const result = await runCheckInline(dnsCheck, { name: 'example.test', server: SERVER, port: dns.port, transport: 'tcp' }, { timeoutMs: 5000, signal: controller.signal })
  t.equal(result.status, 'down')
  t.equal(result.reason, 'timeout')
  t.equal(result.message, `timed out after 5000 ms waiting for 127.0.0.1:${dns.port} over tcp`)
})

t.test('a closed TCP port is down with the error code', async (t) => {
  const port = await closedPort()
  const result = await runCheckInline(dnsCheck, { name: 'example.test', server: SERVER, port, transport: 'tcp' }, { timeoutMs: 1000 })
  t.equal(result.status, 'down')
  t.match(result.message, /^query to 127\.0\.0\.1:\d+ over tcp failed: /)
  t.equal(result.observations?.errorCode, 'ECONNREFUSED')
})

t.test('a config that cannot run is unknown', async (t) => {
  const result = await runCheck(plugin, { name: 'example.test', server: 'dns.example.test' })
  t.equal(result.status, 'unknown')
  t.equal(result.message, 'VDT_ERR_CHECK_DNS_INVALID_CONFIG: Invalid dns check config: server must be an IP address')
})

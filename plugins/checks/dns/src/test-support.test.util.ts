// Test-only helpers (the `.test.` in the name keeps them out of the published files).
import dgram from 'node:dgram'
import { createServer } from 'node:net'
import type { AddressInfo, Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import dnsPacket from 'dns-packet'
import type { Answer, DecodedPacket, Packet } from 'dns-packet'
import type { Test } from 'tap'

/** The package directory, as `runCheck` takes it. */
export const plugin = fileURLToPath(new URL('..', import.meta.url))

/** What the fixture server decides for one query: a response, or silence. */
export type Responder = (query: DecodedPacket, transport: 'udp' | 'tcp') => Packet | undefined

export interface DnsServer {
  port: number
  /** Every query received, in order. */
  queries: Array<{ transport: 'udp' | 'tcp'; name: string; type: string; rd: boolean }>
}

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const

/** The fixture zone: one answer set per name and type, TTLs all different. */
export const ZONE: Record<string, Answer[]> = {
  'example.test A': [
    { name: 'example.test', type: 'A', ttl: 300, data: '10.0.0.1' },
    { name: 'example.test', type: 'A', ttl: 60, data: '10.0.0.2' }
  ],
  'example.test AAAA': [{ name: 'example.test', type: 'AAAA', ttl: 301, data: '2001:db8::1' }],
  'www.example.test CNAME': [{ name: 'www.example.test', type: 'CNAME', ttl: 302, data: 'example.test' }],
  'www.example.test A': [
    { name: 'www.example.test', type: 'CNAME', ttl: 302, data: 'example.test' },
    { name: 'example.test', type: 'A', ttl: 300, data: '10.0.0.1' }
  ],
  'example.test MX': [
    { name: 'example.test', type: 'MX', ttl: 303, data: { preference: 10, exchange: 'mail.example.test' } },
    { name: 'example.test', type: 'MX', ttl: 303, data: { preference: 20, exchange: 'backup.example.test' } }
  ],
  'example.test TXT': [
    { name: 'example.test', type: 'TXT', ttl: 304, data: 'v=spf1 -all' },
    { name: 'example.test', type: 'TXT', ttl: 304, data: ['google-site-', 'verification=abc'] }
  ],
  'example.test NS': [
    { name: 'example.test', type: 'NS', ttl: 305, data: 'ns1.example.test' },
    { name: 'example.test', type: 'NS', ttl: 305, data: 'ns2.example.test' }
  ],
  'example.test SOA': [
    {
      name: 'example.test',
      type: 'SOA',
      ttl: 306,
      data: { mname: 'ns1.example.test', rname: 'hostmaster.example.test', serial: 2025010101, refresh: 7200, retry: 900, expire: 1209600, minimum: 300 }
    }
  ],
  '_sip._tcp.example.test SRV': [{ name: '_sip._tcp.example.test', type: 'SRV', ttl: 307, data: { priority: 10, weight: 5, port: 5060, target: 'sip.example.test' } }],
  'example.test CAA': [{ name: 'example.test', type: 'CAA', ttl: 308, data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' } }],
  // Over UDP only the TC flag comes back (see fixtureZone); TCP gets all of it.
  'big.example.test TXT': Array.from({ length: 20 }, (_, i) => ({ name: 'big.example.test', type: 'TXT' as const, ttl: 309 + i, data: `chunk ${i} ${'x'.repeat(100)}` }))
}

/**
 * The responder most tests use: ZONE's records, NXDOMAIN (with the SOA in
 * authority) for unknown names, NOERROR without answers for a known name and
 * another type, SERVFAIL for servfail.example.test, and a truncated empty
 * answer over UDP for big.example.test.
 */
export const fixtureZone: Responder = (query, transport) => {
  const q = query.questions?.[0]
  if (q === undefined) return undefined
  const response = (rcode: number, answers: Answer[] = [], extra: Partial<Packet> = {}): Packet => ({
    type: 'response',
    id: query.id,
    flags: dnsPacket.AUTHORITATIVE_ANSWER | (query.flag_rd ? dnsPacket.RECURSION_DESIRED : 0) | rcode,
    questions: [q],
    answers,
    ...extra
  })
  if (q.name === 'servfail.example.test') return response(RCODE.SERVFAIL)
  if (q.name === 'big.example.test' && transport === 'udp') {
    return { ...response(RCODE.NOERROR), flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.TRUNCATED_RESPONSE }
  }
  const answers = ZONE[`${q.name} ${q.type}`]
  if (answers !== undefined) return response(RCODE.NOERROR, answers)
  if (Object.keys(ZONE).some((key) => key.startsWith(`${q.name} `))) return response(RCODE.NOERROR)
  return response(RCODE.NXDOMAIN, [], { authorities: ZONE['example.test SOA'] as Answer[] })
}

/** Never answers, over either transport. */
export const silent: Responder = () => undefined

/**
 * A DNS server on 127.0.0.1, UDP and TCP on the same (ephemeral) port,
 * answering with `responder`; everything is closed when `t` ends.
 */
export async function serveDns(t: Test, responder: Responder = fixtureZone): Promise<DnsServer> {
  const queries: DnsServer['queries'] = []
  const note = (query: DecodedPacket, transport: 'udp' | 'tcp'): void => {
    const q = query.questions?.[0]
    queries.push({ transport, name: q?.name ?? '', type: q?.type ?? '', rd: query.flag_rd })
  }
  const sockets = new Set<Socket>()
  const tcp = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    let buffered = Buffer.alloc(0)
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk])
      if (buffered.length < 2 || buffered.length < 2 + buffered.readUInt16BE(0)) return
      const query = dnsPacket.streamDecode(buffered) as DecodedPacket
      note(query, 'tcp')
      const response = responder(query, 'tcp')
      if (response !== undefined) socket.write(dnsPacket.streamEncode(response))
    })
  })
  // The check uses one port for both transports: find one free for both.
  for (let attempt = 0; ; attempt++) {
    const udp = dgram.createSocket('udp4')
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve))
    const port = udp.address().port
    const listening = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false))
      tcp.listen(port, '127.0.0.1', () => resolve(true))
    })
    if (!listening && attempt < 10) {
      udp.close()
      continue
    }
    udp.on('message', (msg, rinfo) => {
      const query = dnsPacket.decode(msg)
      note(query, 'udp')
      const response = responder(query, 'udp')
      if (response !== undefined) udp.send(dnsPacket.encode(response), rinfo.port, rinfo.address)
    })
    t.teardown(() => {
      udp.close()
      for (const s of sockets) s.destroy()
      tcp.close()
    })
    return { port: (tcp.address() as AddressInfo).port, queries }
  }
}

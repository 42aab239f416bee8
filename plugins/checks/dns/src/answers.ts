import { isIPv6 } from 'node:net'
import type { Answer } from 'dns-packet'
import type { ObservationValue } from '@vedette/sdk'

/** One answer record as observed: `data` is a string, or an object for MX, SOA, SRV and CAA. */
export interface ObservedAnswer {
  name: string
  type: string
  ttl: number
  data: string | { [key: string]: string | number }
  [key: string]: ObservationValue
}

/**
 * A decoded record in observation form: plain JSON (no Buffers), so it
 * survives structured cloning and storage as is.
 *
 * @example
 * observeAnswer({ name: 'example.com', type: 'MX', ttl: 300, data: { preference: 10, exchange: 'mx.example.com' } })
 * // { name: 'example.com', type: 'MX', ttl: 300, data: { preference: 10, exchange: 'mx.example.com' } }
 */
export function observeAnswer(answer: Answer): ObservedAnswer {
  const ttl = 'ttl' in answer ? (answer.ttl ?? 0) : 0
  return { name: answer.name, type: answer.type, ttl, data: observeData(answer) }
}

function observeData(answer: Answer): ObservedAnswer['data'] {
  switch (answer.type) {
    case 'MX':
      return { preference: answer.data.preference ?? 0, exchange: answer.data.exchange }
    case 'SRV':
      return { priority: answer.data.priority ?? 0, weight: answer.data.weight ?? 0, port: answer.data.port, target: answer.data.target }
    case 'SOA': {
      const d = answer.data
      return { mname: d.mname, rname: d.rname, serial: d.serial ?? 0, refresh: d.refresh ?? 0, retry: d.retry ?? 0, expire: d.expire ?? 0, minimum: d.minimum ?? 0 }
    }
    case 'CAA':
      return { flags: answer.data.flags ?? 0, tag: answer.data.tag, value: answer.data.value }
    case 'TXT':
      return txtText(answer.data)
    case 'OPT':
      return ''
    default: {
      const data: unknown = answer.data
      if (typeof data === 'string') return data
      // A type this check does not model (an RRSIG next to the answer, say): hex, not lost.
      return Buffer.isBuffer(data) ? data.toString('hex') : JSON.stringify(data)
    }
  }
}

/**
 * A TXT record's character-strings joined without a separator, as SPF and
 * DKIM read them (RFC 7208 3.3): a long key split in 255-byte chunks reads whole.
 */
function txtText(data: string | Buffer | Array<string | Buffer>): string {
  const chunks = Array.isArray(data) ? data : [data]
  return chunks.map((c) => (typeof c === 'string' ? c : c.toString('utf8'))).join('')
}

/**
 * Zone-file style text of an answer's data, for messages and matching.
 *
 * @example
 * presentation({ name: 'x', type: 'MX', ttl: 1, data: { preference: 10, exchange: 'mx.example.com' } }) // '10 mx.example.com'
 */
export function presentation(answer: ObservedAnswer): string {
  const d = answer.data
  if (typeof d === 'string') return d
  switch (answer.type) {
    case 'MX':
      return `${d.preference} ${d.exchange}`
    case 'SRV':
      return `${d.priority} ${d.weight} ${d.port} ${d.target}`
    case 'SOA':
      return `${d.mname} ${d.rname} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`
    case 'CAA':
      return `${d.flags} ${d.tag} ${JSON.stringify(d.value)}`
    default:
      return JSON.stringify(d)
  }
}

/**
 * The `expectAnswers` entries not found among `answers`. An entry matches an
 * answer's presentation text or its main value alone (the MX exchange, SRV
 * target, SOA primary server, CAA value). Names and addresses compare without
 * case and trailing dots, IPv6 addresses in canonical form; TXT and CAA values
 * compare exactly.
 *
 * @example
 * missingAnswers(['10.0.0.9'], [{ name: 'x', type: 'A', ttl: 60, data: '10.0.0.1' }]) // ['10.0.0.9']
 */
export function missingAnswers(expected: readonly string[], answers: readonly ObservedAnswer[]): string[] {
  const exact = new Set<string>()
  const caseless = new Set<string>()
  for (const answer of answers) {
    const forms = [presentation(answer), ...mainValue(answer)]
    const exactType = answer.type === 'TXT' || answer.type === 'CAA'
    for (const form of forms) (exactType ? exact : caseless).add(exactType ? form : canonical(form))
  }
  return expected.filter((e) => !exact.has(e) && !caseless.has(canonical(e)))
}

function mainValue(answer: ObservedAnswer): string[] {
  const d = answer.data
  if (typeof d === 'string') return []
  switch (answer.type) {
    case 'MX':
      return [String(d.exchange)]
    case 'SRV':
      return [String(d.target)]
    case 'SOA':
      return [String(d.mname)]
    case 'CAA':
      return [String(d.value)]
    default:
      return []
  }
}

/** Lower case, no trailing dots on names, IPv6 compressed: how DNS itself compares. */
function canonical(text: string): string {
  const t = text.trim().toLowerCase()
  if (isIPv6(t)) return new URL(`http://[${t}]/`).hostname.slice(1, -1)
  return t.replace(/\.(?=\s|$)/g, '')
}

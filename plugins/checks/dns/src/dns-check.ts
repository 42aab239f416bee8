import { randomInt } from 'node:crypto'
import { isIPv6 } from 'node:net'
import { performance } from 'node:perf_hooks'
import dnsPacket from 'dns-packet'
import type { Packet } from 'dns-packet'
import { defineCheck, networkErrorCode, networkErrorDetail, reportBy } from '@vedette/sdk'
import type { CheckContext, CheckOutcome, Observations } from '@vedette/sdk'
import { missingAnswers, observeAnswer, presentation } from './answers.js'
import type { ObservedAnswer } from './answers.js'
import { compileDnsConfig, parseDnsConfig } from './config.js'
import type { DnsCheckConfig, DnsTransport } from './config.js'
import { exchange } from './exchange.js'
import type { ExchangeResult } from './exchange.js'

/** Most answers quoted in a message, and most characters of each; the `answers` observation has them whole. */
export const MESSAGE_ANSWERS_MAX = 10
const MESSAGE_ANSWER_CHARS = 64

/**
 * Runs one DNS check: one query to the server, over TCP too when the UDP
 * response is truncated, then the rcode and `expectAnswers` decide.
 *
 * @example
 * const outcome = await runDnsCheck({ config: { name: 'example.com', type: 'MX', server: '1.1.1.1' }, signal, timeoutMs: 5000, ... })
 */
export async function runDnsCheck(ctx: CheckContext<DnsCheckConfig>): Promise<CheckOutcome> {
  const config = parseDnsConfig(ctx.config)
  const started = performance.now()
  const until = reportBy(ctx)
  const query: Packet = {
    type: 'query',
    id: randomInt(0, 65_536),
    flags: config.recursion ? dnsPacket.RECURSION_DESIRED : 0,
    questions: [{ type: config.type, name: config.name, class: 'IN' }]
  }
  let transport: DnsTransport = config.transport
  let result = await exchange({ ...config, transport }, query, ctx.signal, until)
  let queryMs = result.ms
  let truncated = result.response?.flag_tc === true
  // RFC 7766 5: a truncated UDP answer means "ask again over TCP".
  if (truncated && transport === 'udp') {
    transport = 'tcp'
    result = await exchange({ ...config, transport }, query, ctx.signal, until)
    queryMs += result.ms
  }
  const observations: Observations = { server: config.server, transport, truncated }
  const base = { latencyMs: performance.now() - started, phases: { query: queryMs }, observations }
  const endpoint = `${isIPv6(config.server) ? `[${config.server}]` : config.server}:${config.port}`
  const via = `${endpoint} over ${transport}${truncated && config.transport === 'udp' ? ' (udp response truncated)' : ''}`
  if (result.end !== 'answered') return { ...base, ...unanswered(result, via, ctx.timeoutMs), observations: withError(observations, result) }
  const response = result.response as NonNullable<ExchangeResult['response']>
  // A TCP answer can still carry TC (a broken server); report what it said.
  truncated ||= response.flag_tc
  observations.truncated = truncated
  const rcode = response.rcode ?? 'NOERROR'
  const answers = (response.answers ?? []).filter((a) => a.type !== 'OPT').map(observeAnswer)
  observations.rcode = rcode
  observations.answers = answers
  observations.answerCount = answers.length
  if (answers.length > 0) observations.ttlMin = Math.min(...answers.map((a) => a.ttl))
  if (rcode !== config.expectRcode) {
    const expected = config.expectRcode === 'NOERROR' ? '' : ` (expected ${config.expectRcode})`
    return { ...base, status: 'down', message: `${rcode} for ${config.name}${expected}` }
  }
  const missing = config.expectAnswers === undefined ? [] : missingAnswers(config.expectAnswers, answers)
  if (missing.length > 0) {
    return { ...base, status: 'down', message: `expected ${missing.join(', ')} not in answers ${quote(answers)}` }
  }
  return { ...base, status: 'up', message: `${rcode} for ${config.name} ${config.type} from ${via}: ${quote(answers)}` }
}

/** The `validate` hook: what the JSON Schema cannot catch. */
export function validateDnsConfig(config: DnsCheckConfig): string[] {
  const problems: string[] = []
  compileDnsConfig(config, problems)
  return problems
}

/** The plugin: the package's default export. */
export const dnsCheck = defineCheck<DnsCheckConfig>({
  run: runDnsCheck,
  validate: validateDnsConfig
})


function unanswered(result: ExchangeResult, via: string, timeoutMs: number): Pick<CheckOutcome, 'status' | 'message' | 'reason'> {
  switch (result.end) {
    case 'deadline':
      return { status: 'down', reason: 'timeout', message: `no response from ${via} within ${Math.round(result.ms)} ms` }
    case 'aborted':
      return { status: 'down', reason: 'timeout', message: `timed out after ${timeoutMs} ms waiting for ${via}` }
    default:
      return { status: 'down', message: `query to ${via} failed: ${networkErrorDetail(result.error as Error)}` }
  }
}

function withError(observations: Observations, result: ExchangeResult): Observations {
  const code = result.error === undefined || result.end !== 'error' ? undefined : networkErrorCode(result.error)
  return code === undefined ? observations : { ...observations, errorCode: code }
}

/** `[10.0.0.1, 10.0.0.2]`, at most MESSAGE_ANSWERS_MAX of them. */
function quote(answers: readonly ObservedAnswer[]): string {
  // Messages are capped by the runtime: long TXT records would push the count out.
  const shown = answers.slice(0, MESSAGE_ANSWERS_MAX).map((a) => {
    const text = presentation(a)
    return text.length > MESSAGE_ANSWER_CHARS ? `${text.slice(0, MESSAGE_ANSWER_CHARS - 1)}…` : text
  })
  const more = answers.length > MESSAGE_ANSWERS_MAX ? `, … ${answers.length - MESSAGE_ANSWERS_MAX} more` : ''
  return `[${shown.join(', ')}${more}]`
}


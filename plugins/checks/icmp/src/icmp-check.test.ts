import { execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { assertObservationsDeclared, runCheck, runCheckInline } from '@vedette/sdk/testing'
import { icmpCheck } from './index.js'
import { PARTIAL_LOSS, UNREACHABLE } from './ping-samples.test.util.js'

/** The package directory, as `runCheck` takes it. */
const plugin = fileURLToPath(new URL('..', import.meta.url))

/** `false` when iputils ping runs here; otherwise why the tests are skipped (a failure in CI). */
function missingPing(): string | false {
  try {
    execFileSync('ping', ['-V'], { stdio: 'pipe' })
    return false
  } catch (err) {
    const reason = `iputils ping not runnable (${(err as Error).message.split('\n')[0]}): apt-get install iputils-ping`
    if (process.env.CI === 'true') t.fail(reason)
    else t.comment(`skipping ping tests: ${reason}`)
    return reason
  }
}
const skip = missingPing()

t.test('ping 127.0.0.1: up, no loss, round trips measured', { skip }, async (t) => {
  const result = await runCheck(plugin, { host: '127.0.0.1', count: 3 })
  t.equal(result.status, 'up', String(result.message))
  t.match(result.message, /^3\/3 replies from 127\.0\.0\.1, rtt avg [\d.]+ ms$/)
  t.match(result.observations, { address: '127.0.0.1', transmitted: 3, received: 3, lossPercent: 0, exitCode: 0 })
  for (const k of ['rttMin', 'rttAvg', 'rttMax', 'rttStddev']) t.type(result.observations?.[k], 'number', k)
  t.equal(result.latencyMs, result.observations?.rttAvg, 'latency is the average round trip')
  t.match(result.metrics, [
    { label: 'rtt', unit: 'ms', value: result.observations?.rttAvg },
    { label: 'loss', unit: '%', value: 0, warn: 0, min: 0, max: 100 }
  ])
  assertObservationsDeclared(t, plugin, result.observations)
})

t.test('IPv6 loopback and payload size', { skip }, async (t) => {
  const result = await runCheckInline(icmpCheck, { host: '[::1]', count: 1, packetSize: 1000 })
  // A sandbox without IPv6 says so; anywhere else ::1 answers.
  if (result.status !== 'up') t.pass(`not checked, no IPv6 loopback here: ${String(result.message)}`)
  else t.match(result.observations, { address: '::1', received: 1 })
})

t.test('an unknown host is down with ping\'s message', { skip }, async (t) => {
  const result = await runCheck(plugin, { host: 'nonexistent.invalid', count: 1 })
  t.equal(result.status, 'down')
  t.equal(result.message, 'ping: nonexistent.invalid: Name or service not known')
  t.equal(result.observations?.exitCode, 2)
  const unparseable = await runCheckInline(icmpCheck, { host: '999.999.999.999', count: 1 })
  t.equal(unparseable.status, 'down')
  t.match(unparseable.message, /^ping: 999\.999\.999\.999: /)
})

t.test('loss: degraded above maxLossPercent while replies come back, down with none', async (t) => {
  // A stand-in `ping` first in PATH replays real iputils output, so the
  // verdicts are tested without depending on a lossy network.
  const dir = mkdtempSync(join(tmpdir(), 'vedette-fake-ping-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const fake = (stdout: string, code: number): void => {
    writeFileSync(join(dir, 'stdout'), stdout)
    writeFileSync(join(dir, 'ping'), `#!/bin/sh\nprintf '%s ' "$@" > "${dir}/argv"\ncat "${dir}/stdout"\nexit ${code}\n`)
    chmodSync(join(dir, 'ping'), 0o755)
  }
  const path = process.env.PATH
  process.env.PATH = `${dir}:${path ?? ''}`
  t.teardown(() => {
    process.env.PATH = path
  })
  fake(PARTIAL_LOSS, 0)
  const degraded = await runCheckInline(icmpCheck, { host: '10.20.0.7', count: 3 })
  t.equal(readFileSync(join(dir, 'argv'), 'utf8').trim(), '-n -c 3 -i 0.2 -s 56 -W 1 -- 10.20.0.7')
  t.equal(degraded.status, 'degraded')
  t.equal(degraded.message, '33.3333% packet loss from 10.20.0.7 (2/3 replies, more than maxLossPercent 0), rtt avg 1.335 ms')
  t.match(degraded.observations, { transmitted: 3, received: 2, lossPercent: 33.3333, rttAvg: 1.335 })
  const tolerated = await runCheckInline(icmpCheck, { host: '10.20.0.7', maxLossPercent: 40 })
  t.equal(tolerated.status, 'up')
  t.match(tolerated.metrics, [{ label: 'rtt', value: 1.335 }, { label: 'loss', value: 33.3333, warn: 40 }])
  fake(UNREACHABLE, 1)
  const down = await runCheckInline(icmpCheck, { host: '10.255.255.1', maxLossPercent: 100 })
  t.equal(down.status, 'down', 'no reply at all is down whatever maxLossPercent says')
  t.equal(down.message, 'no reply from 10.255.255.1 (0/2 replies, 100% packet loss; From 21.4.5.109 icmp_seq=1 Destination Port Unreachable)')
  t.match(down.observations, { received: 0, lossPercent: 100, errors: 2, exitCode: 1 })
  t.notOk('rttAvg' in (down.observations ?? {}))
  t.match(down.metrics, [{ label: 'loss', value: 100 }])
  fake('', 2)
  writeFileSync(join(dir, 'ping'), '#!/bin/sh\necho "ping: socket: Operation not permitted" >&2\nexit 2\n')
  const privilege = await runCheckInline(icmpCheck, { host: '127.0.0.1' })
  t.same([privilege.status, privilege.message], ['unknown', 'ping: socket: Operation not permitted'], 'a setup problem, not the target')
})

t.test('ping still running at the deadline is killed: down / timeout', { skip }, async (t) => {
  const started = Date.now()
  const result = await runCheckInline(icmpCheck, { host: '127.0.0.1', count: 100, interval: 0.2 }, { timeoutMs: 600 })
  t.equal(result.status, 'down')
  t.equal(result.reason, 'timeout')
  t.match(result.message, /^timed out after 600 ms; ping was killed/)
  t.ok(Date.now() - started < 3000)
})

t.test('a config that cannot run is unknown', async (t) => {
  const result = await runCheck(plugin, { host: '--help' })
  t.equal(result.status, 'unknown')
  t.match(result.message, /^VDT_ERR_CHECK_ICMP_INVALID_CONFIG: Invalid icmp check config: host must be/)
})

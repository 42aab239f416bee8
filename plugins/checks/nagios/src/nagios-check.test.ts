import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import type { Test } from 'tap'
import { assertObservationsDeclared, closedPort, runCheck, runCheckInline } from '@vedette/sdk/testing'
import { nagiosCheck } from './index.js'
import { missingPlugins, plugin, serveHttp, serveTcp } from './test-support.test.util.js'

const skip = missingPlugins(t)

/** Writes an executable script into a fresh directory removed when `t` ends. */
function script(t: Test, body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vedette-nagios-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'check_script')
  writeFileSync(file, `#!/bin/sh\n${body}\n`)
  chmodSync(file, 0o755)
  return file
}

/** Alive and not a zombie (in a container PID 1 may not reap orphans at once). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

t.test('check_dummy: exit codes 0-3 map to up / degraded / down / unknown', { skip }, async (t) => {
  const up = await runCheck(plugin, { command: 'check_dummy', args: ['0', 'all fine'] })
  t.equal(up.status, 'up')
  t.equal(up.message, 'OK: all fine')
  t.same(up.observations, { output: 'OK: all fine', exitCode: 0 })
  assertObservationsDeclared(t, plugin, up.observations)
  const expected = { 1: ['degraded', 'WARNING'], 2: ['down', 'CRITICAL'], 3: ['unknown', 'UNKNOWN'] } as const
  for (const [code, [status, word]] of Object.entries(expected)) {
    const result = await runCheckInline(nagiosCheck, { command: 'check_dummy', args: [code] })
    t.equal(result.status, status, `exit ${code}`)
    t.equal(result.message, word)
    t.equal(result.observations?.exitCode, Number(code))
  }
  const absolute = await runCheckInline(nagiosCheck, { command: '/usr/lib/nagios/plugins/check_dummy', args: ['1', 'spaces are one arg; $HOME `x`'] })
  t.equal(absolute.message, 'WARNING: spaces are one arg; $HOME `x`', 'no shell')
})

t.test('check_tcp: up with the time metric, down on a closed port', { skip }, async (t) => {
  const port = await serveTcp(t)
  const up = await runCheck(plugin, { command: 'check_tcp', args: ['-H', '127.0.0.1', '-p', String(port)] })
  t.equal(up.status, 'up', String(up.message))
  t.match(up.message, new RegExp(`^TCP OK - [\\d.]+ second response time on 127\\.0\\.0\\.1 port ${port}$`))
  t.match(up.metrics, [{ label: 'time', unit: 's', min: 0, max: 10 }])
  t.type(up.metrics?.[0]?.value, 'number')
  t.equal(up.observations?.['perf.time'], up.metrics?.[0]?.value)
  const closed = await closedPort()
  const down = await runCheckInline(nagiosCheck, { command: 'check_tcp', args: ['-H', '127.0.0.1', '-p', String(closed)] })
  t.equal(down.status, 'down')
  t.match(down.message, /Connection refused/)
  t.equal(down.observations?.exitCode, 2)
})

t.test('check_http against a local server: up with perfdata', { skip }, async (t) => {
  const port = await serveHttp(t)
  const result = await runCheck(plugin, { command: 'check_http', args: ['-H', '127.0.0.1', '-p', String(port), '-u', '/'] })
  t.equal(result.status, 'up', String(result.message))
  t.match(result.message, /^HTTP OK: HTTP\/1\.1 200 OK - \d+ bytes in [\d.]+ second response time$/)
  t.match(result.metrics, [
    { label: 'time', unit: 's' },
    { label: 'size', unit: 'B', min: 0 }
  ])
  t.type(result.observations?.['perf.size'], 'number')
})

t.test('a plugin that outlives the timeout is killed with its children', async (t) => {
  const pids = join(mkdtempSync(join(tmpdir(), 'vedette-pids-')), 'pids')
  t.teardown(() => rmSync(pids, { force: true }))
  const file = script(t, `echo $$ > "$1"\nsleep 30 &\necho $! >> "$1"\necho "still working"\nsleep 30`)
  const started = Date.now()
  const result = await runCheckInline(nagiosCheck, { command: file, args: [pids] }, { timeoutMs: 500 })
  t.equal(result.status, 'down')
  t.equal(result.reason, 'timeout')
  t.equal(result.message, 'timed out after 500 ms; check_script was killed')
  t.equal(result.observations?.output, 'still working')
  t.ok(Date.now() - started < 3000, 'returned at the deadline')
  const [leader, child] = readFileSync(pids, 'utf8').trim().split('\n').map(Number)
  for (let i = 0; i < 50 && (alive(leader as number) || alive(child as number)); i++) await new Promise((r) => setTimeout(r, 20))
  t.notOk(alive(leader as number), 'the plugin is dead')
  t.notOk(alive(child as number), 'its background child is dead')
  const worker = await runCheck(plugin, { command: file, args: [pids] }, { timeoutMs: 300 })
  t.match(worker, { status: 'down', reason: 'timeout' }, 'same in the worker')
})

t.test('a finished plugin does not wait for a background child holding stdout', async (t) => {
  const file = script(t, 'sleep 30 &\necho "OK - detached"\nexit 0')
  const started = Date.now()
  const result = await runCheckInline(nagiosCheck, { command: file }, { timeoutMs: 5000 })
  t.equal(result.status, 'up')
  t.equal(result.message, 'OK - detached')
  t.ok(Date.now() - started < 2000)
})

t.test('exit codes outside 0-3, signals, stderr and empty output are unknown', async (t) => {
  const weird = await runCheckInline(nagiosCheck, { command: script(t, 'echo "segfault-ish"\nexit 139') })
  t.equal(weird.status, 'unknown')
  t.equal(weird.message, 'check_script exited with code 139, not a plugin state (0-3): segfault-ish')
  t.equal(weird.observations?.exitCode, 139)
  const killed = await runCheckInline(nagiosCheck, { command: script(t, 'kill -SEGV $$') })
  t.equal(killed.status, 'unknown')
  t.equal(killed.message, 'check_script was killed by SIGSEGV')
  const stderrOnly = await runCheckInline(nagiosCheck, { command: script(t, 'echo "bad option -x" >&2\nexit 3') })
  t.equal(stderrOnly.message, 'bad option -x')
  t.equal(stderrOnly.observations?.stderr, 'bad option -x')
  const silent = await runCheckInline(nagiosCheck, { command: script(t, 'exit 2') })
  t.match(silent, { status: 'down', message: 'check_script exited with code 2 and printed nothing' })
})

t.test('env, cwd and multi-line perfdata from a script', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vedette-cwd-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = script(t, [
    'echo "DISK WARNING - $GREETING from $(pwd) | /=2643MB;5948;5958;0;5968"',
    'echo "/boot 68 MB (69%); | \'boot dir\'=68MB;@10:88;~:93;0;98"',
    'echo "/home=69357MB;253404;253409;0;253414 junk"',
    'echo "secret=${VEDETTE_TEST_SECRET:-unset}"',
    'exit 1'
  ].join('\n'))
  process.env.VEDETTE_TEST_SECRET = 'hunter2'
  t.teardown(() => delete process.env.VEDETTE_TEST_SECRET)
  const result = await runCheckInline(nagiosCheck, { command: file, env: { GREETING: 'hello' }, cwd: dir })
  t.equal(result.status, 'degraded')
  t.equal(result.message, `DISK WARNING - hello from ${dir}`)
  t.same(result.metrics, [
    { label: '/', value: 2643, unit: 'MB', warn: 5948, crit: 5958, min: 0, max: 5968 },
    { label: 'boot dir', value: 68, unit: 'MB', warn: 88, crit: 93, min: 0, max: 98 },
    { label: '/home', value: 69357, unit: 'MB', warn: 253404, crit: 253409, min: 0, max: 253414 }
  ])
  t.match(result.observations, {
    'perf./': 2643,
    'perf.boot dir': 68,
    'perf.boot dir.warn': '@10:88',
    'perf.boot dir.crit': '~:93',
    // Every line after the second | is perfdata: the engine's VEDETTE_TEST_SECRET did not reach the plugin.
    perfdataInvalid: ['junk', 'secret=unset'],
    exitCode: 1
  })
})

t.test('output is bounded', async (t) => {
  const file = script(t, 'echo "OK | a=1"\nhead -c 200000 /dev/zero | tr "\\\\0" "x"\nexit 0')
  const result = await runCheckInline(nagiosCheck, { command: file, maxOutputBytes: 1000 })
  t.equal(result.status, 'up')
  t.equal(result.message, 'OK')
  t.equal(result.observations?.outputTruncated, true)
  t.equal((result.observations?.output as string).length, 1000)
  const big = await runCheckInline(nagiosCheck, { command: file })
  t.equal((big.observations?.output as string).length, 4096, 'observation trimmed to 4 KiB')
})

t.test('spawn failures are unknown with the reason', async (t) => {
  const missing = await runCheck(plugin, { command: '/nonexistent/check_nothing' })
  t.same([missing.status, missing.message], ['unknown', 'command not found: /nonexistent/check_nothing'])
  const file = script(t, 'exit 0')
  chmodSync(file, 0o644)
  const notExec = await runCheckInline(nagiosCheck, { command: file })
  t.same([notExec.status, notExec.message], ['unknown', `command not executable: ${file}`])
  const badCwd = await runCheckInline(nagiosCheck, { command: '/bin/true', cwd: '/nonexistent-dir' })
  t.equal(badCwd.status, 'unknown')
  t.match(badCwd.message, /nonexistent-dir/)
  const config = await runCheck(plugin, { command: '../escape' })
  t.equal(config.status, 'unknown')
  t.match(config.message, /^VDT_ERR_CHECK_NAGIOS_INVALID_CONFIG: Invalid nagios check config: command must be/)
})

/**
 * The OpenAPI spec is only worth publishing if a client generated from it
 * types real calls correctly. This test takes the live `/openapi.json`,
 * generates types with openapi-typescript, type-checks a small openapi-fetch
 * program against them with the repo's TypeScript 7 `tsc`, runs it against
 * the server, and proves the types constrain calls: a program with wrong
 * calls must fail type-checking on exactly those lines.
 */
import t from 'tap'
import type { Test } from 'tap'
import { execFile } from 'node:child_process'
import { createServer as createHttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import openapiTS, { astToString } from 'openapi-typescript'
import type { OpenAPI3 } from 'openapi-typescript'
import { silentLogger } from '@vedette/sdk'
import { Engine } from '../engine/engine.js'
import { describeCatalog } from '../engine/load-engine-config.js'
import { testConfig } from '../engine/test-config.js'
import { PluginLoader } from '../plugins/plugin-loader.js'
import { ConfigService } from '../config-service/config-service.js'
import { createServer } from '../server/create-server.js'
import { createLogger } from '../logger.js'

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
// The root's TypeScript 7, not core/node_modules/typescript (5.9, pulled in
// as openapi-typescript's peer): the client must type-check with the compiler the repo builds with.
// Its lib/tsc.js rather than the extensionless .bin/tsc: tap gives node children a
// CommonJS require hook, and that hook cannot load an extensionless ES module
// (ERR_REQUIRE_CYCLE_MODULE). Both start the same native compiler.
const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'lib', 'tsc.js')

// Async on purpose: the client program calls the server living in this process,
// so a sync spawn would block the event loop that has to answer it.
const run = promisify(execFile)

interface Exit {
  code: number
  stdout: string
  stderr: string
}

async function exec(file: string, args: string[], cwd: string): Promise<Exit> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, timeout: 15_000 })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string; message: string }
    if (typeof e.code !== 'number') throw err
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

async function target(t: Test): Promise<string> {
  const srv = createHttpServer((_req, res) => res.end('ok'))
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  t.teardown(() => new Promise((r) => srv.close(r)))
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`
}

/** Engine, config service and the real server listening on 127.0.0.1 (auth off, as in api.test.ts). */
async function listening(t: Test): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vedette-openapi-'))
  const config = testConfig({ dataDir })
  const catalog = new PluginLoader({ engineVersion: '0.1.0', baseDir: dataDir }).catalog({ storage: 'memory' })
  const engine = await Engine.create({ config, baseDir: dataDir, logger: silentLogger, catalog })
  await engine.openStorage()
  const service = new ConfigService({ engine, plugins: describeCatalog(catalog), baseDir: dataDir, logger: silentLogger })
  const document = { monitors: [] }
  await engine.start(await service.init(document, JSON.stringify(document), 'test.yaml'))
  const app = await createServer(engine, { logger: createLogger({ level: 'silent', pretty: false }), config: service })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(async () => {
    await app.close()
    await engine.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })
  return address
}

/** Drives create → status → run → status → results → delete → 404 and prints one JSON line per step. */
const CLIENT = `import createClient from 'openapi-fetch'
import type { paths } from './vedette-api.js'

const [baseUrl, targetUrl] = process.argv.slice(2)
if (baseUrl === undefined || targetUrl === undefined) throw new Error('usage: node client.js BASE_URL TARGET_URL')
const client = createClient<paths>({ baseUrl })
const id = 'typed-client'
const print = (step: string, fields: Record<string, unknown>): void => console.log(JSON.stringify({ step, ...fields }))

const created = await client.POST('/api/v1/monitors', {
  body: { id, type: 'http', interval: '1h', tags: ['typed'], config: { url: targetUrl, expectedStatus: ['200-299'] } }
})
print('create', { http: created.response.status, error: created.error, version: created.data?.version.version, location: created.response.headers.get('location') })

const before = await client.GET('/api/v1/monitors/{id}/status', { params: { path: { id } } })
print('status', { http: before.response.status, status: before.data?.status })

const ran = await client.POST('/api/v1/monitors/{id}/run', { params: { path: { id } } })
print('run', { http: ran.response.status, status: ran.data?.status, statusCode: ran.data?.observations?.['statusCode'] })

const after = await client.GET('/api/v1/monitors/{id}/status', { params: { path: { id } } })
// Annotated on purpose: this compiles only if the spec types the result status as its enum, not as any string.
const last: 'up' | 'degraded' | 'down' | 'unknown' | undefined = after.data?.lastResult?.status
print('status', { http: after.response.status, status: after.data?.status, last })

const results = await client.GET('/api/v1/monitors/{id}/results', { params: { path: { id }, query: { limit: 10, order: 'desc' } } })
print('results', { http: results.response.status, statuses: results.data?.items.map((r) => r.status), latency: results.data?.items.every((r) => r.latencyMs >= 0) })

const deleted = await client.DELETE('/api/v1/monitors/{id}', { params: { path: { id } } })
print('delete', { http: deleted.response.status })

const gone = await client.GET('/api/v1/monitors/{id}/status', { params: { path: { id } } })
print('gone', { http: gone.response.status, code: gone.error?.code })

// The spec (and so the types) allow integer status codes here.
const integers = await client.POST('/api/v1/monitors', { body: { id: 'typed-integers', type: 'http', interval: '1h', config: { url: targetUrl, expectedStatus: [200, 204] } } })
print('integer-status', { http: integers.response.status, error: integers.error?.message })
`

/** Each line marked WRONG breaks the spec in one way; tsc must flag exactly those lines. */
const WRONG = `import createClient from 'openapi-fetch'
import type { paths } from './vedette-api.js'

const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:1' })
await client.POST('/api/v1/monitors', { body: { id: 'a', type: 'http', interval: '30s', config: { url: 42 } } }) // WRONG: url is a string
await client.POST('/api/v1/monitors', { body: { id: 'b', type: 'tcp', interval: '30s', config: { host: 'h' } } }) // WRONG: tcp needs port
await client.GET('/api/v1/monitors/{id}/status', { params: { path: { id: 7 } } }) // WRONG: the id is a string
await client.GET('/api/v1/monitors', { params: { query: { status: 'sleeping' } } }) // WRONG: not a monitor status
await client.GET('/api/v1/monitorz') // WRONG: no such path
const ok = await client.GET('/api/v1/monitors/{id}/status', { params: { path: { id: 'a' } } })
console.log(ok.data?.colour) // WRONG: the status has no colour
`

const TSCONFIG = {
  compilerOptions: {
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    target: 'ES2022',
    lib: ['ES2022'],
    strict: true,
    types: ['node'],
    // Library .d.ts files are not ours to check; the generated types are a .ts file, so they still are.
    skipLibCheck: true,
    rootDir: '.',
    outDir: 'out'
  }
}

t.test('a client generated from the live /openapi.json types and drives the monitor lifecycle', async (t) => {
  const baseUrl = await listening(t)
  const targetUrl = await target(t)
  const dir = mkdtempSync(join(tmpdir(), 'vedette-typed-client-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))

  const res = await fetch(`${baseUrl}/openapi.json`)
  t.equal(res.status, 200)
  const spec = (await res.json()) as OpenAPI3
  const types = astToString(await openapiTS(spec))
  t.match(types, /"\/api\/v1\/monitors\/\{id\}\/status"/, 'the generated paths include the status route')

  // openapi-fetch (and @types/node) resolve from the repo's node_modules through a link, as an installed dependency would.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }))
  writeFileSync(join(dir, 'vedette-api.ts'), types)
  writeFileSync(join(dir, 'client.ts'), CLIENT)
  writeFileSync(join(dir, 'wrong.ts'), WRONG)
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ ...TSCONFIG, files: ['client.ts', 'vedette-api.ts'] }))
  writeFileSync(join(dir, 'tsconfig.wrong.json'), JSON.stringify({ ...TSCONFIG, files: ['wrong.ts', 'vedette-api.ts'] }))

  const checked = await exec(process.execPath, [TSC, '--noEmit', '--pretty', 'false', '-p', 'tsconfig.json'], dir)
  t.equal(checked.code, 0, `tsc --noEmit accepts the client:\n${checked.stdout}${checked.stderr}`)

  const wrong = await exec(process.execPath, [TSC, '--noEmit', '--pretty', 'false', '-p', 'tsconfig.wrong.json'], dir)
  t.not(wrong.code, 0, 'tsc rejects the wrong calls')
  const expected = WRONG.split('\n').flatMap((line, i) => (line.includes('// WRONG') ? [i + 1] : []))
  const flagged = [...new Set([...wrong.stdout.matchAll(/^wrong\.ts\((\d+),\d+\): error TS\d+/gm)].map((m) => Number(m[1])))].sort((a, b) => a - b)
  t.same(flagged, expected, `tsc flags exactly the WRONG lines:\n${wrong.stdout}`)
  t.notMatch(wrong.stdout, /TS2307|TS2305/, 'no error comes from a missing module or export')

  const compiled = await exec(process.execPath, [TSC, '--pretty', 'false', '-p', 'tsconfig.json'], dir)
  t.equal(compiled.code, 0, `tsc compiles the client:\n${compiled.stdout}`)
  t.ok(existsSync(join(dir, 'out', 'client.js')))

  const ran = await exec(process.execPath, [join(dir, 'out', 'client.js'), baseUrl, targetUrl], dir)
  t.equal(ran.code, 0, ran.stderr)
  const steps = ran.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
  t.same(
    steps.map((s) => s.step),
    ['create', 'status', 'run', 'status', 'results', 'delete', 'gone', 'integer-status']
  )
  const [create, before, runStep, after, results, deleted, gone, integers] = steps
  t.match(create, { http: 201, version: 2, location: '/api/v1/monitors/typed-client' }, JSON.stringify(create))
  t.equal(before?.http, 200)
  t.ok(before?.status === 'pending' || before?.status === 'up', `a new monitor is pending (or up if its slot came): ${String(before?.status)}`)
  t.match(runStep, { http: 200, status: 'up', statusCode: 200 })
  t.match(after, { http: 200, status: 'up', last: 'up' })
  t.equal(results?.http, 200)
  t.ok(Array.isArray(results?.statuses) && (results.statuses as unknown[]).length >= 1, 'the run is in the results')
  t.ok((results?.statuses as unknown[]).every((s) => s === 'up'))
  t.equal(results?.latency, true)
  t.match(deleted, { http: 204 })
  t.match(gone, { http: 404, code: 'VDT_ERR_MONITOR_NOT_FOUND' })
  // Bodies are validated without type coercion (core/src/server/validator-factory.ts):
  // with it, 200 also matched the string branch of expectedStatus's oneOf and the
  // API refused a body its own spec allows.
  t.equal(integers?.http, 201, `integer expectedStatus is accepted as the spec says: ${JSON.stringify(integers)}`)
})

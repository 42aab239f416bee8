import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import type { Test } from 'tap'
import { assertObservationsDeclared } from './assert-observations-declared.js'

const dir = mkdtempSync(join(tmpdir(), 'vdt-observations-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
writeFileSync(
  join(dir, 'package.json'),
  JSON.stringify({ vedette: { kind: 'check', observations: { statusCode: 'number', headers: 'object', hops: 'array', extra: 'any' } } })
)

/** What the helper asserted, as [ok, message] pairs, without failing this test. */
function asserted(plugin: string | URL, observations: Record<string, unknown>): [boolean, string][] {
  const calls: [boolean, string][] = []
  const fake = { ok: (ok: boolean, message: string) => calls.push([ok, message]) } as unknown as Test
  assertObservationsDeclared(fake, plugin, observations as never)
  return calls
}

t.test('one assertion per observation, by declared type', async (t) => {
  t.same(asserted(dir, { statusCode: 200, headers: {}, hops: [], extra: 'x' }).map(([ok]) => ok), [true, true, true, true])
  t.same(asserted(pathToFileURL(dir), { statusCode: '200', body: 'x' }), [
    [false, 'observation statusCode (string) declared as number'],
    [false, 'observation body (string) declared as undefined']
  ])
  t.same(asserted(`${pathToFileURL(dir).href}/`, { headers: null }), [[false, 'observation headers (any) declared as object']])
})

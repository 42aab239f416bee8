import { readFileSync } from 'node:fs'

/** Where the default server comes from; glibc's default when the file names none. */
export const RESOLV_CONF = '/etc/resolv.conf'
export const FALLBACK_NAMESERVER = '127.0.0.1'

/**
 * The first `nameserver` of a resolv.conf text, or `undefined`.
 *
 * @example
 * parseResolvConf('# generated\nsearch lan\nnameserver 10.0.0.53\nnameserver 1.1.1.1\n') // '10.0.0.53'
 */
export function parseResolvConf(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const [keyword, value] = line.replace(/[#;].*/, '').trim().split(/\s+/)
    if (keyword === 'nameserver' && value !== undefined && value !== '') return value
  }
  return undefined
}

let cached: string | undefined

/**
 * The host's first nameserver, read once per worker: resolv.conf rarely
 * changes, and a check that runs every few seconds should not re-read it.
 * A missing or empty file means 127.0.0.1, as for glibc's resolver.
 */
export function systemNameserver(path = RESOLV_CONF): string {
  if (cached !== undefined) return cached
  let text = ''
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    // No resolv.conf (minimal containers): the fallback below.
  }
  cached = parseResolvConf(text) ?? FALLBACK_NAMESERVER
  return cached
}

/**
 * How an endpoint is named in reports: scheme and host only. Provider URLs
 * carry secrets in the path (Discord webhook tokens, Telegram bot tokens), so
 * the path never leaves the plugin.
 *
 * @example
 * endpointOf(new URL('https://discord.com/api/webhooks/1/secret')) // 'https://discord.com'
 */
export function endpointOf(url: URL): string {
  return url.origin
}

/**
 * Replaces every occurrence of a secret (as written and URL-encoded) in text
 * that came from elsewhere: error messages and provider answers may echo a
 * request back, and reports end up in delivery history and logs.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) {
    // Very short values would blank out ordinary words; config validation
    // keeps real secrets longer than this.
    if (secret.length < 4) continue
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('[redacted]')
  }
  return out
}

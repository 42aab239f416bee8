/**
 * How a report names an endpoint: scheme, host and port only. Notifier URLs
 * carry their credential in the path or query (Slack and Discord webhook
 * tokens, Telegram bot tokens, the `sig` of a Teams Workflows URL), so the
 * rest never reaches a report or a log.
 *
 * @example
 * redactEndpoint(new URL('https://discord.com/api/webhooks/1/secret')) // 'https://discord.com'
 */
export function redactEndpoint(url: URL): string {
  return url.origin
}

// Path segments and query values this long are tokens, not words: redacting
// them cannot mangle ordinary text.
const TOKEN_LENGTH = 16
// Shorter values would blank out ordinary words; config validation keeps real secrets longer.
const MIN_SECRET_LENGTH = 4

/**
 * The parts of a URL that must not appear in a report when the URL is a
 * credential: the whole URL, its path (with and without the query), and each
 * long path segment and query value, so a receiver echoing a piece of the
 * request is caught too.
 *
 * @example
 * urlSecrets(new URL('https://hooks.slack.com/services/T0/B0/xoxHookSecret42abc'))
 * // ['https://hooks.slack.com/services/T0/B0/xoxHookSecret42abc', '/services/T0/B0/xoxHookSecret42abc', 'xoxHookSecret42abc']
 */
export function urlSecrets(url: URL): string[] {
  const parts = [url.href, url.pathname + url.search, url.pathname]
  for (const segment of url.pathname.split('/')) if (segment.length >= TOKEN_LENGTH) parts.push(segment)
  for (const value of url.searchParams.values()) if (value.length >= TOKEN_LENGTH) parts.push(value)
  return [...new Set(parts)]
}

/**
 * Replaces every occurrence of a secret, as written and URL-encoded, with
 * `[redacted]`: the last guard for text we do not control (error messages,
 * a provider's answer echoing the request), since reports end up in delivery
 * history and logs. Secrets are replaced longest first, so a secret that
 * contains another is not left half shown.
 *
 * @example
 * redactSecrets('Unauthorized: /bot123:abc-token/sendMessage', ['123:abc-token']) // 'Unauthorized: /bot[redacted]/sendMessage'
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>()
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue
    forms.add(secret)
    forms.add(encodeURIComponent(secret))
  }
  let out = text
  for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join('[redacted]')
  return out
}

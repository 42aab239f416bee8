/**
 * What a report may say about an endpoint: scheme, host and port. Webhook
 * URLs often carry their secret in the path or query (Slack, Teams, most
 * "incoming webhook" receivers), so the rest never reaches a report or a log.
 */
export function redactUrl(url: URL): string {
  return url.origin
}

/**
 * Replaces every occurrence of a secret in `text` with `[redacted]`: the
 * last guard for text we do not control, such as a receiver that echoes the
 * request in its error body. Values under 4 characters are left alone, as
 * redacting them would mangle ordinary words.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]')
  }
  return out
}

/**
 * The connection URL with its password (and any `password` / `sslpassword`
 * query parameter) replaced by `***`, for logs and error messages. A URL that
 * does not parse is replaced whole: it may hold a password in a shape this
 * function does not know.
 *
 * @example
 * redactUrl('postgres://app:s3cret@db:5432/vedette') // 'postgres://app:***@db:5432/vedette'
 */
export function redactUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return '<unparseable url>'
  }
  if (parsed.password !== '') parsed.password = '***'
  for (const key of [...parsed.searchParams.keys()]) {
    if (/pass/i.test(key)) parsed.searchParams.set(key, '***')
  }
  return parsed.toString()
}

/**
 * `text` with every occurrence of the URL's secrets replaced by `***`. Driver
 * errors are passed through this before they are wrapped or logged: some
 * (DNS failures, bad URLs) echo parts of the connection string.
 */
export function redactSecrets(text: string, url: string): string {
  const secrets: string[] = []
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') secrets.push(parsed.password, decodeURIComponent(parsed.password))
    for (const [key, value] of parsed.searchParams) if (/pass/i.test(key) && value !== '') secrets.push(value)
  } catch {
    return text.split(url).join('<url>')
  }
  let out = text.split(url).join(redactUrl(url))
  // Very short "secrets" would turn every matching letter into ***; no driver
  // message quotes a password anyway, this only guards against one that does.
  for (const secret of secrets) if (secret.length >= 3) out = out.split(secret).join('***')
  return out
}

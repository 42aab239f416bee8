/** `auth` in a monitor config: the credentials become an `authorization` header. */
export type HttpAuth = { type: 'basic'; username: string; password: string } | { type: 'bearer'; token: string }

// Visible ASCII: what a bearer token is made of (RFC 6750 b64token is a subset),
// and nothing that could split or corrupt the header.
const TOKEN_CHARS = /^[\x21-\x7e]+$/
const CONTROL = /[\0-\x1f\x7f]/

/**
 * The `authorization` header value for `auth`, or `undefined` when there is
 * none or it is unusable (the reason pushed to `problems`).
 *
 * Problems name the field, never its value: a config error is logged and shown
 * in the API, and a password must not travel with it.
 *
 * @example
 * compileAuth({ type: 'bearer', token: 't0k' }, []) // 'Bearer t0k'
 */
export function compileAuth(auth: HttpAuth | undefined, problems: string[]): string | undefined {
  if (auth === undefined) return undefined
  if (auth === null || typeof auth !== 'object' || Array.isArray(auth)) {
    problems.push('auth must be an object with a type of basic or bearer')
    return undefined
  }
  const fields = auth as Record<string, unknown>
  switch (auth.type) {
    case 'basic': {
      const { username, password } = fields
      const before = problems.length
      if (typeof username !== 'string' || username === '') problems.push('auth.username must be a non-empty string')
      // RFC 7617: the first colon separates the user-id from the password.
      else if (username.includes(':')) problems.push('auth.username must not contain a colon')
      else if (CONTROL.test(username)) problems.push('auth.username must not contain control characters')
      if (typeof password !== 'string') problems.push('auth.password must be a string')
      else if (CONTROL.test(password)) problems.push('auth.password must not contain control characters')
      if (problems.length > before) return undefined
      return `Basic ${Buffer.from(`${username as string}:${password as string}`, 'utf8').toString('base64')}`
    }
    case 'bearer': {
      const { token } = fields
      if (typeof token !== 'string' || token === '') problems.push('auth.token must be a non-empty string')
      else if (!TOKEN_CHARS.test(token)) problems.push('auth.token must be visible ASCII without spaces')
      else return `Bearer ${token}`
      return undefined
    }
    default:
      problems.push('auth.type must be basic or bearer')
      return undefined
  }
}

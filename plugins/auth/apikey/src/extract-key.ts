import type { AuthRequest } from '@vedette/sdk'
import { KEY_PREFIX } from './key-format.js'
import { ApiKeyInvalidError } from './errors.js'

/**
 * The API key a request carries, or null when it carries none this plugin
 * should judge: no header, another scheme (`Basic`), or a bearer token that
 * is not a Vedette key (a JWT for an OIDC plugin listed after this one).
 * `X-Api-Key` is ours alone, so anything in it is judged, and refused when
 * it cannot be a key.
 */
export function extractKey(request: AuthRequest): string | null {
  const authorization = single(request.headers.authorization, 'Authorization')
  if (authorization !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization)
    if (m !== null && (m[1] as string).startsWith(KEY_PREFIX)) return m[1] as string
  }
  const header = single(request.headers['x-api-key'], 'X-Api-Key')
  if (header !== undefined) {
    const key = header.trim()
    if (key === '') throw new ApiKeyInvalidError('the X-Api-Key header is empty')
    return key
  }
  return null
}

function single(value: string | string[] | undefined, name: string): string | undefined {
  if (value === undefined) return undefined
  if (Array.isArray(value)) {
    if (value.length === 1) return value[0]
    // Two keys in one request: refusing beats guessing which one was meant.
    throw new ApiKeyInvalidError(`the ${name} header was sent more than once`)
  }
  return value
}

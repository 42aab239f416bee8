import type { ApiKeyInfo } from '@vedette/sdk'

/**
 * The one time the bootstrap key is shown. Plain text on stderr, never the
 * logger: logs are shipped and kept, and a secret in them is a leaked secret.
 */
export function bootstrapBanner(key: string, info: ApiKeyInfo): string {
  const rule = '='.repeat(78)
  return [
    '',
    rule,
    ` Vedette: no API key existed, so an admin key was created (id ${info.id},`,
    ` name ${info.name}, tenant ${info.tenantId}):`,
    '',
    `   ${key}`,
    '',
    ' STORE IT NOW (a password manager or secret store). It is not saved anywhere',
    ' in plain text and WILL NOT BE SHOWN AGAIN.',
    '',
    ' Use it as `Authorization: Bearer <key>` or `X-Api-Key: <key>`. Create',
    ' narrower keys with `vedette keys create` or POST /api/v1/keys, and revoke',
    ` this one when done: vedette keys revoke ${info.id}`,
    rule,
    '',
    ''
  ].join('\n')
}

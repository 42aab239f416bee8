import { createHash } from 'node:crypto'

/**
 * Fits a dedup key into a provider's length limit without losing what makes
 * it unique: a key that is too long keeps its start and ends with its
 * SHA-256, so the same alert always gets the same key (cutting it could make
 * two alerts share an incident).
 *
 * @example
 * stableKey('rule:monitor', 255) // 'rule:monitor'
 * stableKey(`rule:${'m'.repeat(400)}`, 255) // 'rule:mmm…m~<64 hex digits>', 255 characters
 */
export function stableKey(key: string, max: number): string {
  if (key.length <= max) return key
  const hash = createHash('sha256').update(key).digest('hex')
  return `${key.slice(0, Math.max(0, max - hash.length - 1))}~${hash}`.slice(-max)
}

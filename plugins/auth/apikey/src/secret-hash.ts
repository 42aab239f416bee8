import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import type { ScryptOptions } from 'node:crypto'

/**
 * scrypt with N=2^15, r=8, p=1 (OWASP's minimum for scrypt): about 32 MiB and
 * 50-100 ms per hash on a server core. The secret already has 256 bits of
 * entropy, so this only matters if the database leaks, and then it makes each
 * guess expensive anyway. The parameters are stored with every key so they
 * can be raised later without breaking the keys already issued.
 */
export const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keylen: 32 } as const
// 128 * N * r is exactly 32 MiB, which Node's default maxmem refuses; leave headroom.
const MAX_MEM = 64 * 1024 * 1024

export interface SecretHash {
  /** base64url of the derived key. */
  hash: string
  /** base64url of 16 random bytes. */
  salt: string
  /** `scrypt:N:r:p`, how `hash` was derived. */
  kdf: string
}

export async function hashSecret(secret: string): Promise<SecretHash> {
  const salt = randomBytes(16)
  const hash = await derive(secret, salt, SCRYPT)
  return { hash: hash.toString('base64url'), salt: salt.toString('base64url'), kdf: `scrypt:${SCRYPT.N}:${SCRYPT.r}:${SCRYPT.p}` }
}

/** True when `secret` hashes to `stored`; false too when the stored parameters are unusable. */
export async function verifySecret(secret: string, stored: SecretHash): Promise<boolean> {
  const m = /^scrypt:(\d+):(\d+):(\d+)$/.exec(stored.kdf)
  if (m === null) return false
  const expected = Buffer.from(stored.hash, 'base64url')
  if (expected.length === 0) return false
  let actual: Buffer
  try {
    actual = await derive(secret, Buffer.from(stored.salt, 'base64url'), { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]), keylen: expected.length })
  } catch {
    // Parameters beyond MAX_MEM or not a power of two: a damaged (or tampered) record matches nothing.
    return false
  }
  // Constant time, so response times do not tell how much of a guess was right.
  return timingSafeEqual(actual, expected)
}

function derive(secret: string, salt: Buffer, params: { N: number; r: number; p: number; keylen: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: MAX_MEM }
  // The async form runs on libuv's thread pool, so hashing never blocks the event loop.
  return new Promise((resolve, reject) => scrypt(secret, salt, params.keylen, options, (err, key) => (err ? reject(err) : resolve(key))))
}

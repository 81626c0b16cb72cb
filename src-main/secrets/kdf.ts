import crypto from 'node:crypto'
import { AppError } from '../api/errors'
import { KEY_BYTES } from './sealed-box'

// Passphrases: their rules and the key derived from them (scrypt). The secrets module derives its master
// key with it; the app lock keeps only a derived verifier.
export const SCRYPT = { N: 2 ** 15, r: 8, p: 1, saltBytes: 16 } as const
export const PASSPHRASE_MIN = 8
export const PASSPHRASE_MAX = 1024

export interface ScryptParams {
  N: number
  r: number
  p: number
}

export function checkPassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string' || passphrase.length < PASSPHRASE_MIN) {
    throw new AppError('BAD_INPUT', `The passphrase must be at least ${PASSPHRASE_MIN} characters long`)
  }
  if (passphrase.length > PASSPHRASE_MAX) {
    throw new AppError('BAD_INPUT', `The passphrase must be at most ${PASSPHRASE_MAX} characters long`)
  }
  if (passphrase.trim().length === 0) throw new AppError('BAD_INPUT', 'The passphrase cannot be only spaces')
}

export function derive(passphrase: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const secret = Buffer.from(passphrase.normalize('NFC'), 'utf8')
  return new Promise((resolve, reject) => {
    crypto.scrypt(secret, salt, KEY_BYTES, { ...params, maxmem: 256 * params.N * params.r }, (err, key) => {
      secret.fill(0)
      if (err) reject(err)
      else resolve(key)
    })
  })
}


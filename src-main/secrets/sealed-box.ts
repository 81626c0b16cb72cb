import crypto from 'node:crypto'

// AES-256-GCM with a fresh random 12-byte IV per seal and caller-supplied associated data (AAD): for
// account credentials the AAD is the account id, so a sealed row copied onto another account does not
// open. GCM's 16-byte tag detects any change to the ciphertext, IV, tag or AAD, and a wrong key.

export const KEY_BYTES = 32
export const IV_BYTES = 12
export const TAG_BYTES = 16

export interface SealedBox {
  ciphertext: Buffer
  iv: Buffer
  tag: Buffer
}

/** The box does not open: wrong key, wrong AAD, or tampered bytes. Says nothing about the contents. */
export class SealedBoxError extends Error {
  constructor(message = 'The sealed data could not be opened: wrong key, or it was altered') {
    super(message)
    this.name = 'SealedBoxError'
  }
}

export function seal(key: Buffer, plaintext: Buffer | string, aad: string): SealedBox {
  checkKey(key)
  const iv = crypto.randomBytes(IV_BYTES)
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(Buffer.from(aad, 'utf8'))
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext
  const ciphertext = Buffer.concat([cipher.update(data), cipher.final()])
  if (typeof plaintext === 'string') data.fill(0)
  return { ciphertext, iv, tag: cipher.getAuthTag() }
}

export function open(key: Buffer, box: SealedBox, aad: string): Buffer {
  checkKey(key)
  if (box.iv.length !== IV_BYTES || box.tag.length !== TAG_BYTES) throw new SealedBoxError()
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, box.iv, { authTagLength: TAG_BYTES })
    decipher.setAAD(Buffer.from(aad, 'utf8'))
    decipher.setAuthTag(box.tag)
    return Buffer.concat([decipher.update(box.ciphertext), decipher.final()])
  } catch {
    throw new SealedBoxError()
  }
}

function checkKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error(`A sealing key must be ${KEY_BYTES} bytes`)
}

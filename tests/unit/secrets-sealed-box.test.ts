import crypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { IV_BYTES, SealedBoxError, TAG_BYTES, open, seal } from '../../src-main/secrets/sealed-box'

const key = crypto.randomBytes(32)
const aad = 'account-1'
const text = JSON.stringify({ apiKey: 'A'.repeat(64), secret: 'S'.repeat(64) })

describe('sealed box (AES-256-GCM, account id as AAD)', () => {
  it('round-trips, with a fresh 12-byte IV and a 16-byte tag each time', () => {
    const a = seal(key, text, aad)
    const b = seal(key, text, aad)
    expect(a.iv).toHaveLength(IV_BYTES)
    expect(a.tag).toHaveLength(TAG_BYTES)
    expect(a.iv.equals(b.iv)).toBe(false)
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false)
    expect(open(key, a, aad).toString('utf8')).toBe(text)
    expect(open(key, b, aad).toString('utf8')).toBe(text)
    expect(a.ciphertext.includes(Buffer.from('SSSS'))).toBe(false)
  })

  it('detects a changed ciphertext, IV or tag', () => {
    const box = seal(key, text, aad)
    const flip = (b: Buffer, i: number) => {
      const c = Buffer.from(b)
      c[i] = (c[i] ?? 0) ^ 1
      return c
    }
    expect(() => open(key, { ...box, ciphertext: flip(box.ciphertext, 3) }, aad)).toThrow(SealedBoxError)
    expect(() => open(key, { ...box, iv: flip(box.iv, 0) }, aad)).toThrow(SealedBoxError)
    expect(() => open(key, { ...box, tag: flip(box.tag, 15) }, aad)).toThrow(SealedBoxError)
    expect(() => open(key, { ...box, tag: box.tag.subarray(0, 12) }, aad)).toThrow(SealedBoxError)
    expect(() => open(key, { ...box, ciphertext: box.ciphertext.subarray(1) }, aad)).toThrow(SealedBoxError)
  })

  it('refuses the wrong AAD (a row moved to another account) and the wrong key', () => {
    const box = seal(key, text, aad)
    expect(() => open(key, box, 'account-2')).toThrow(SealedBoxError)
    expect(() => open(crypto.randomBytes(32), box, aad)).toThrow(SealedBoxError)
  })

  it('says nothing about the contents when it fails', () => {
    const box = seal(key, text, aad)
    try {
      open(key, box, 'other')
    } catch (err) {
      expect((err as Error).message).not.toContain('S'.repeat(8))
      expect((err as Error).message).toMatch(/wrong key, or it was altered/)
    }
  })

  it('insists on a 32-byte key', () => {
    expect(() => seal(Buffer.alloc(16), text, aad)).toThrow(/32 bytes/)
  })
})

import { describe, expect, it } from 'vitest'
import { credentialsNeeded, failureLabels, testFacts, testOutcome, tradeBadge } from '../../src-renderer/features/accounts/labels'
import { venueErrorKinds } from '../../src-main/accounts/validation'

describe('account labels', () => {
  it('has words for every failure kind the engine can report', () => {
    for (const kind of venueErrorKinds) expect(failureLabels[kind]).toBeTruthy()
    expect(failureLabels['invalid-signature']).toBe('Invalid signature')
    expect(failureLabels['ip-not-allowed']).toBe('IP not whitelisted')
    expect(failureLabels['permission-denied']).toBe('Missing permission')
  })

  it('tells can trade, read-only and unknown apart', () => {
    expect(tradeBadge(true)).toEqual({ text: 'can trade', tone: 'ok' })
    expect(tradeBadge(false)).toEqual({ text: 'read-only', tone: 'warn' })
    expect(tradeBadge(null)).toEqual({ text: 'unknown', tone: 'muted' })
  })

  it('sums up a test', () => {
    expect(testOutcome({ ok: true, kind: null })).toEqual({ text: 'OK', tone: 'ok' })
    expect(testOutcome({ ok: false, kind: 'unreachable' })).toEqual({ text: 'Exchange unreachable', tone: 'err' })
    expect(testOutcome({ ok: false, kind: null })).toEqual({ text: 'Failed', tone: 'err' })
    expect(testFacts({ latencyMs: 42, balanceCount: 1 })).toBe('42 ms · 1 balance')
    expect(testFacts({ latencyMs: 7, balanceCount: 3 })).toBe('7 ms · 3 balances')
  })

  it('says which credentials an exchange needs', () => {
    expect(credentialsNeeded({ needsPassword: false })).toBe('API key and secret')
    expect(credentialsNeeded({ needsPassword: true })).toBe('API key, secret and passphrase')
  })
})

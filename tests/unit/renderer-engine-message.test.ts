import { describe, expect, it } from 'vitest'
import { splitEngineMessage } from '../../src-renderer/ui/engineMessage'
import { commands } from '../../src-main/api/contract'
import { formatIssues } from '../../src-main/api/format-issues'

// The form puts each part of an engine refusal next to its field. The messages here are made by the
// engine's own schemas, exactly as the router words them, so a change of wording there shows up here.

const accountFields = [
  'exchange',
  'label',
  'sandbox',
  'apiBaseUrl',
  'credentials.apiKey',
  'credentials.secret',
  'credentials.password',
]

function refusal(name: keyof typeof commands, input: unknown): string {
  const parsed = commands[name].input.safeParse(input)
  if (parsed.success) throw new Error(`${name} accepted ${JSON.stringify(input)}`)
  return `Invalid input for ${name}: ${formatIssues(parsed.error)}`
}

describe('splitEngineMessage', () => {
  it('puts each credential problem next to its field', () => {
    const message = refusal('accounts.add', {
      exchange: 'binance',
      label: 'main',
      credentials: { apiKey: 'abc', secret: 'has space' },
    })
    const split = splitEngineMessage(message, accountFields)
    expect(split.fields['credentials.apiKey']).toMatch(/^Binance API keys are 64 letters and digits; this one \(3 characters\) is not$/)
    // this message itself contains "; " — it stays whole
    expect(split.fields['credentials.secret']).toBe('The secret contains spaces or line breaks; paste it again without them')
    expect(split.general).toBeNull()
  })

  it('names the label, the URL, the passphrase and the sandbox', () => {
    const message = refusal('accounts.add', {
      exchange: 'kraken',
      label: '   ',
      sandbox: true,
      apiBaseUrl: 'http://example.com',
      credentials: { apiKey: 'a'.repeat(56), secret: 'b'.repeat(88), password: 'nope' },
    })
    const split = splitEngineMessage(message, accountFields)
    expect(split.fields.label).toBe('Give the account a name')
    expect(split.fields.apiBaseUrl).toMatch(/only allowed for this machine/)
    // All in one answer: the exchange-specific checks run even though the name and URL are wrong.
    expect(split.fields.sandbox).toMatch(/Kraken has no sandbox/)
    expect(split.fields['credentials.password']).toMatch(/have no passphrase/)
    expect(Object.keys(split.fields).sort()).toEqual(['apiBaseUrl', 'credentials.password', 'label', 'sandbox'])
  })

  it('keeps a part that names no field of the form for the form itself', () => {
    const message = refusal('accounts.update', { id: 'x' })
    const split = splitEngineMessage(message, accountFields)
    expect(split.fields).toEqual({})
    expect(split.general).toMatch(/^Nothing to change/)
  })

  it('leaves a message that is not about input whole', () => {
    const message = 'The OS keychain is unavailable: could not write to the keychain: nope.'
    expect(splitEngineMessage(message, accountFields)).toEqual({ fields: {}, general: message })
    const locked = 'Credentials are locked: unlock them with your passphrase first'
    expect(splitEngineMessage(locked, accountFields).general).toBe(locked)
  })

  it('splits the paper reset refusal on its amount', () => {
    const split = splitEngineMessage(refusal('paper.reset', { amount: '-5' }), ['amount'])
    expect(split.fields.amount).toBe('must be more than 0 and at most 1000000000000')
    const twice = splitEngineMessage(refusal('paper.reset', { amount: 'abc' }), ['amount'])
    expect(twice.fields.amount).toMatch(/must be a plain decimal number.*; must be more than 0/)
  })

  it('handles the service-side refusals of accounts.update (no prefix)', () => {
    const split = splitEngineMessage(
      'credentials.apiKey: The API key is empty; credentials.secret: The secret is empty',
      accountFields,
    )
    expect(split.fields).toEqual({
      'credentials.apiKey': 'The API key is empty',
      'credentials.secret': 'The secret is empty',
    })
  })

  it('shows the refusal to move an account with open orders next to the sandbox checkbox', () => {
    const message =
      "sandbox: 2 orders are open on this account's current environment: cancel them first, or add the test network as a separate account (moving would leave them out of the app's reach)"
    expect(splitEngineMessage(message, accountFields)).toEqual({ fields: { sandbox: message.slice('sandbox: '.length) }, general: null })
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { PEM_PRIVATE_KEY, exchangeSpecs } from '../../src-main/accounts/exchanges'
import { accountAddInputSchema, credentialIssues } from '../../src-main/accounts/validation'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'

// The PEM private-key check: what it accepts and refuses, and that a crafted secret (a BEGIN line and
// thousands of line breaks, no END line) costs work in proportion to its length. A backtracking pattern
// over the whole secret took seconds on one, and the engine answered nobody meanwhile.

const body = 'MC4CAQAwBQYDK2VwBCIEIA+/aBc=='
const accepts: [string, string][] = [
  ['real line breaks', `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----`],
  ['escaped \\n line breaks', `-----BEGIN PRIVATE KEY-----\\n${body}\\n-----END PRIVATE KEY-----\\n`],
  ['Windows line breaks, several body lines', `-----BEGIN RSA PRIVATE KEY-----\r\n${body}\r\n${body}\r\n-----END RSA PRIVATE KEY-----`],
  ['EC, trailing escaped breaks', `-----BEGIN EC PRIVATE KEY-----\\n${body}\\n-----END EC PRIVATE KEY-----\\n\\n`],
  ['ENCRYPTED', `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${body}\n-----END ENCRYPTED PRIVATE KEY-----`],
  ['kinds not matching (as before)', `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END EC PRIVATE KEY-----`],
  ['a one-character body', '-----BEGIN PRIVATE KEY-----\nA-----END PRIVATE KEY-----'],
  ['only line breaks as a body', '-----BEGIN PRIVATE KEY-----\n\n-----END PRIVATE KEY-----'],
  ['an escaped break then one character', '-----BEGIN PRIVATE KEY-----\\nA-----END PRIVATE KEY-----'],
]
const refuses: [string, string][] = [
  ['no END line', `-----BEGIN PRIVATE KEY-----\n${body}\n`],
  ['no line break after BEGIN', `-----BEGIN PRIVATE KEY-----${body}\n-----END PRIVATE KEY-----`],
  ['nothing between the lines', '-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----'],
  ['an escaped break and nothing else', '-----BEGIN PRIVATE KEY-----\\n-----END PRIVATE KEY-----'],
  ['a garbage body', `-----BEGIN PRIVATE KEY-----\n${body}!*\n-----END PRIVATE KEY-----`],
  ['a dash in the body', `-----BEGIN PRIVATE KEY-----\nab-cd\n-----END PRIVATE KEY-----`],
  ['a public key', `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----`],
  ['an unknown kind', `-----BEGIN DSA PRIVATE KEY-----\n${body}\n-----END DSA PRIVATE KEY-----`],
  ['text after END', `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----x`],
  ['a real break after END (the caller trims it first)', `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`],
  ['a lone backslash after END', `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\\`],
  ['text before BEGIN', `x-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----`],
]

describe('PEM private key check', () => {
  for (const [label, value] of accepts) it(`accepts ${label}`, () => expect(PEM_PRIVATE_KEY.pattern.test(value)).toBe(true))
  for (const [label, value] of refuses) it(`refuses ${label}`, () => expect(PEM_PRIVATE_KEY.pattern.test(value)).toBe(false))
})

describe('a crafted 16k-character PEM secret', () => {
  const crafted = `-----BEGIN PRIVATE KEY-----${'\\n'.repeat(8150)}!`
  const input = { exchange: 'binance', label: 'x', credentials: { apiKey: 'aB3'.repeat(22).slice(0, 64), secret: crafted } }
  const message = 'Binance secrets are 64 letters and digits (HMAC key) or a PEM private key (-----BEGIN … PRIVATE KEY-----); this one (16328 characters) is not'
  afterEach(() => vi.restoreAllMocks())

  it('is refused with the usual message, and no PEM pattern is run over the whole secret', () => {
    // A pattern with overlapping parts run over the whole secret backtracks; the PEM check goes piece by
    // piece. Only the other formats' fixed-length patterns (which fail at once) may see the whole secret.
    // Every pattern V8 runs goes through exec once the prototype's is replaced.
    const others = exchangeSpecs.binance.secret.filter((f) => f !== PEM_PRIVATE_KEY).map((f) => f.pattern)
    const overWhole: RegExp[] = []
    const exec = RegExp.prototype.exec
    vi.spyOn(RegExp.prototype, 'exec').mockImplementation(function (this: RegExp, s: string) {
      if (String(s).length > 1000) overWhole.push(this)
      return exec.call(this, s)
    })
    expect(credentialIssues('binance', input.credentials)).toEqual([{ path: ['secret'], message }])
    expect(overWhole.filter((re) => !others.includes(re)).map(String)).toEqual([])
  })

  it('is checked once per call through the engine: the audit trail reuses what the router parsed', async () => {
    let core: Core | undefined
    try {
      core = tempCore()
      const parse = vi.spyOn(accountAddInputSchema, 'safeParse')
      const reply = await core.router.invoke('accounts.add', input, { door: 'headless' })
      expect(reply.ok).toBe(false)
      if (!reply.ok) expect(reply.error.message).toContain(message)
      expect(parse).toHaveBeenCalledTimes(1)
      // A good one too: the entry still lists the allow-listed fields, from the input the router parsed.
      const good = { ...input, label: 'Main', credentials: { ...input.credentials, secret: `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----` } }
      expect((await core.router.invoke('accounts.add', good, { door: 'headless' })).ok).toBe(true)
      const page = (await core.router.invoke('audit.list', { search: 'accounts.add' }, { door: 'headless' })) as { ok: true; value: { entries: { detail: string }[] } }
      expect(page.value.entries.map((e) => e.detail.split(' — ')[0]!.replace(/ → .*/, ''))).toEqual([
        'exchange="binance" label="Main" sandbox=false apiBaseUrl=null credentials=(withheld)',
        '(input refused)',
      ])
    } finally {
      await core?.stop()
    }
  })
})

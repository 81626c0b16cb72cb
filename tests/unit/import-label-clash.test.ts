import { afterEach, describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import { splitEngineMessage } from '../../src-renderer/ui/engineMessage'

// An import account named like an exchange or paper account ("Binance main") would be a second account that
// looks the same, and "my accounts" would count its holdings twice: refused both ways.

const ctx = { door: 'test' } as const
const CSV = 'Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n2024-01-02 09:00:00,BTCUSDT,BUY,"40,000.00",0.10000000BTC,"4,000.00000000USDT",4.00000000USDT\n'

let core: Core | undefined
afterEach(async () => {
  await core?.stop()
  core = undefined
})

const call = async (name: string, input: unknown) =>
  (await core!.router.invoke(name as never, input as never, ctx)) as { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }
const addAccount = (label: string) => call('accounts.add', { exchange: 'binance', label, credentials: { apiKey: 'A'.repeat(64), secret: 'S'.repeat(64) } })
const importAs = (account: string) => call('portfolio.import', { account, format: 'binance', fileName: 'trades.csv', text: CSV })

describe('import account names and exchange account labels', () => {
  it('refuses an import under an exchange account’s label (trimmed, any case), storing nothing', async () => {
    core = tempCore()
    expect(await addAccount('Binance main')).toMatchObject({ ok: true })
    for (const name of ['Binance main', ' binance MAIN ']) {
      const reply = await importAs(name)
      expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
      // Led by the account field, so the import dialog shows it at the account name.
      const split = splitEngineMessage(reply.ok ? '' : reply.error.message, ['account', 'text', 'fileName', 'format'])
      expect(split.fields.account).toMatch(/^"Binance main" is the name of an exchange or paper account/)
      expect(split.general).toBeNull()
    }
    expect(core.store.sqlite.prepare("select count(*) from ledger_entries where lower(trim(account)) = 'binance main'").pluck().get()).toBe(0)
    expect(await importAs('Binance main CSV')).toMatchObject({ ok: true })
  })

  it('refuses an import under a simulated trader’s name, which the account filter would list twice', async () => {
    core = tempCore()
    const accounts = async () => (await call('portfolio.accounts', {})) as { ok: true; value: { account: string; label: string; kind: string }[] }
    for (const name of ['Trader: Arb Ari', ' trader: arb ari ', 'Trader: Maker Max']) {
      const reply = await importAs(name)
      expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
      const split = splitEngineMessage(reply.ok ? '' : reply.error.message, ['account', 'text', 'fileName', 'format'])
      expect(split.fields.account).toMatch(/^"Trader: (Arb Ari|Maker Max)" is the name of a simulated trader's account/)
    }
    expect((await accounts()).value.filter((a) => a.kind === 'import')).toEqual([])
    expect(await importAs('Arb Ari copy')).toMatchObject({ ok: true })
  })

  it('refuses an exchange account named like an import account', async () => {
    core = tempCore()
    expect(await importAs('Kraken old')).toMatchObject({ ok: true })
    expect(await addAccount(' kraken OLD')).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('"Kraken old"') } })
  })
})

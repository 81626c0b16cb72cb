import { afterEach, describe, expect, it } from 'vitest'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { pnlArgs, runPnl } from '../../src-main/cli/pnl-command'
import { UsageError } from '../../src-main/cli/usage'
import { PortfolioService } from '../../src-main/portfolio/service'
import { tempLedger } from './portfolio-live-support'
import { ledger as entries } from './portfolio-support'

// `pnl --account` with a mistyped name printed an empty report and exited 0 — a ledger that looks like it
// holds nothing there. It is refused as `tax --account` refuses it: a usage error (exit 2) naming the
// accounts there are.

describe('pnl for one account', () => {
  let ledger: ReturnType<typeof tempLedger>
  afterEach(() => ledger.close())

  it('refuses an account the ledger does not have, naming those it has; the one it has still reports', () => {
    ledger = tempLedger()
    const l = entries('kraken-file')
    ledger.writer.importBatch([{ ...l.buy('BTC/USDT', '1', '40000'), timestamp: Date.parse('2024-02-01T12:00:00Z') }])
    const portfolio = new PortfolioService({ db: ledger.store.db, bus: new EventBus(), log: silentLogger })
    const pnl = (account: string) => runPnl(pnlArgs(['--account', account, '--price', 'BTC=50000']), { store: ledger.store, portfolio, close: () => {} })

    const err = (() => {
      try {
        pnl('kraken-fiel')
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(UsageError)
    expect((err as Error).message).toBe('pnl: --account "kraken-fiel" is not a ledger account (known: kraken-file)')
    const ok = pnl('kraken-file')
    expect(ok.accounts.map((a) => a.account)).toEqual(['kraken-file'])
  })
})

// The ledger the "simulator's prices value only simulated accounts" tests share. Day 0 (2024-01-01):
//   01:00 deposits: binance-main 100,000 USDT; csv (an import) 1,000 USDT and 10 SOL; sim:trader:x
//         100,000 USDT (and, withSimSol, 5 SOL)
//   02:00 binance-main buys 1 BTC at 95,000;   02:30 csv buys 0.01 BTC at 90,000
//   03:00 sim:trader:x buys 1 BTC at 20,000
// Each test adds the marks and live prices it is about; NOW is day 10, 03:00.
import { DAY, HOUR } from '../../src-main/portfolio/live/periods'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'

export const D0 = Date.UTC(2024, 0, 1)
export const NOW = D0 + 10 * DAY + 3 * HOUR

function trade(account: string, source: LedgerEntryInput['source'], id: string | null, t: number, price: string, amount: string): LedgerEntryInput {
  return { account, source, externalId: id, fee: null, kind: 'trade', timestamp: t, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'buy', price, amount } as LedgerEntryInput
}
export function deposit(account: string, source: LedgerEntryInput['source'], asset: string, amount: string): LedgerEntryInput {
  return { account, source, externalId: source === 'csv' ? null : `dep:${account}:${asset}`, fee: null, kind: 'deposit', timestamp: D0 + HOUR, asset, amount } as LedgerEntryInput
}

export function simPriceEntries(opts: { withSimSol: boolean }): LedgerEntryInput[] {
  return [
    deposit('binance-main', 'venue', 'USDT', '100000'),
    deposit('csv', 'csv', 'USDT', '1000'),
    deposit('csv', 'csv', 'SOL', '10'),
    deposit('sim:trader:x', 'venue', 'USDT', '100000'),
    ...(opts.withSimSol ? [deposit('sim:trader:x', 'venue', 'SOL', '5')] : []),
    trade('binance-main', 'app', 'b1', D0 + 2 * HOUR, '95000', '1'),
    trade('csv', 'csv', null, D0 + 2.5 * HOUR, '90000', '0.01'),
    trade('sim:trader:x', 'venue', 's1', D0 + 3 * HOUR, '20000', '1'),
  ]
}

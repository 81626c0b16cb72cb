import type { LedgerEntryInput, LedgerTradeInput, LedgerTransferInput } from '../../src-main/portfolio/model'

// Builders for ledger entries in tests: terse, with a clock that moves one second per entry.

export function ledger(account = 'acct') {
  let t = Date.UTC(2024, 0, 1)
  const next = () => (t += 1000)
  return {
    now: () => t,
    buy(symbol: string, amount: string, price: string, fee: [string, string] | null = null, extra: Partial<LedgerTradeInput> = {}): LedgerTradeInput {
      return trade('buy', symbol, amount, price, fee, extra)
    },
    sell(symbol: string, amount: string, price: string, fee: [string, string] | null = null, extra: Partial<LedgerTradeInput> = {}): LedgerTradeInput {
      return trade('sell', symbol, amount, price, fee, extra)
    },
    deposit(asset: string, amount: string, extra: Partial<LedgerTransferInput> = {}): LedgerTransferInput {
      return { kind: 'deposit', account, timestamp: next(), asset, amount, fee: null, source: 'csv', externalId: null, ...extra }
    },
    withdraw(asset: string, amount: string, extra: Partial<LedgerTransferInput> = {}): LedgerTransferInput {
      return { kind: 'withdrawal', account, timestamp: next(), asset, amount, fee: null, source: 'csv', externalId: null, ...extra }
    },
  }

  function trade(side: 'buy' | 'sell', symbol: string, amount: string, price: string, fee: [string, string] | null, extra: Partial<LedgerTradeInput>): LedgerTradeInput {
    const [base, quote] = symbol.split('/') as [string, string]
    return {
      kind: 'trade',
      account,
      timestamp: next(),
      symbol,
      base,
      quote,
      side,
      price,
      amount,
      fee: fee ? { amount: fee[0], asset: fee[1] } : null,
      source: 'csv',
      externalId: null,
      ...extra,
    }
  }
}

export type Entries = LedgerEntryInput[]

import type { Logger } from '../log'
import type { MatchingEngine } from '../venues/sim/engine-api'
import { simTraderDefinitions } from '../venues/sim/traders'
import type { ImportMeta, ImportResult } from './ledger'
import type { PriceMarkStore } from './marks'
import type { LedgerEntryInput } from './model'
import { fillToEntry, splitSymbol } from './symbols'

// The simulated exchange in the ledger. The paper account's fills arrive like every other app fill (the
// order manager's orderFilled, account 'sim'); this feed adds what only the exchange itself knows:
//   - the simulated traders' fills (accounts `sim:trader:<slug>`), batched every second;
//   - opening balances: an account new to the ledger gets a deposit of what it holds when first seen, so its
//     P&L starts from there (the exchange keeps no deposit history to import);
//   - the markets' last prices as price marks of the venue 'sim', once a minute, so deposits and fees have a
//     price and positions a last stored price.

export interface SimLedgerSource {
  engine: Pick<MatchingEngine, 'on' | 'balances' | 'hasAccount' | 'markets' | 'ticker' | 'now'>
  /** The paper account's id on the engine ('paper'); its ledger account is the venue id 'sim'. */
  paperAccount: string
}

export const SIM_LEDGER_ACCOUNT = 'sim'
export const simTraderLedgerAccount = (traderAccountId: string): string => `${SIM_LEDGER_ACCOUNT}:${traderAccountId}`
const SIM_TRADER_PREFIX = `${SIM_LEDGER_ACCOUNT}:trader:`
/** A simulated trader's ledger account (`sim:trader:<slug>`): not the user's money, shown apart from it. */
export const isSimTraderAccount = (account: string): boolean => account.startsWith(SIM_TRADER_PREFIX)

export interface SimFeedDeps {
  sim: SimLedgerSource
  importBatch(entries: LedgerEntryInput[], meta: ImportMeta | null): ImportResult
  marks: PriceMarkStore
  /** True when the ledger holds anything for this account. */
  known(account: string): boolean
  log: Logger
  flushEveryMs?: number
  markEveryMs?: number
}

export class SimLedgerFeed {
  private pending: LedgerEntryInput[] = []
  private timers: ReturnType<typeof setInterval>[] = []
  private unsubscribe: (() => void) | null = null

  constructor(private readonly deps: SimFeedDeps) {}

  start(): void {
    this.recordMarks()
    this.recordOpeningBalances()
    this.unsubscribe = this.deps.sim.engine.on((event) => {
      if (event.type !== 'fill' || !event.accountId.startsWith('trader:')) return
      // A trader can be maker and taker of one trade: the liquidity keeps both.
      const entry = fillToEntry(event.fill, simTraderLedgerAccount(event.accountId), 'venue', `${event.fill.tradeId}:${event.fill.liquidity}`)
      if (entry) this.pending.push(entry)
    })
    const every = (ms: number, fn: () => void) => {
      const timer = setInterval(fn, ms)
      timer.unref?.()
      this.timers.push(timer)
    }
    every(this.deps.flushEveryMs ?? 1000, () => this.flush())
    every(this.deps.markEveryMs ?? 60_000, () => this.recordMarks())
  }

  stop(): void {
    this.unsubscribe?.()
    this.unsubscribe = null
    for (const t of this.timers) clearInterval(t)
    this.timers = []
    this.flush()
    this.recordMarks()
  }

  /** Writes the traders' buffered fills (one transaction). */
  flush(): void {
    if (this.pending.length === 0) return
    const batch = this.pending
    this.pending = []
    try {
      this.deps.importBatch(batch, null)
    } catch (err) {
      this.deps.log.error(`could not record ${batch.length} simulated traders' fills in the ledger`, err)
    }
  }

  recordMarks(): void {
    const engine = this.deps.sim.engine
    const at = engine.now()
    const marks = []
    for (const spec of engine.markets()) {
      try {
        const last = engine.ticker(spec.symbol).last
        const pair = splitSymbol(spec.symbol)
        if (pair && last && last !== '0') marks.push({ asset: pair.base, quote: pair.quote, price: last, at, venue: SIM_LEDGER_ACCOUNT })
      } catch {
        // A market with no trade yet has no last price.
      }
    }
    try {
      this.deps.marks.record(marks)
    } catch (err) {
      this.deps.log.error('could not store the simulated markets\' prices', err)
    }
  }

  /** Deposits of what the paper account and each simulated trader hold, for accounts new to the ledger. */
  recordOpeningBalances(): void {
    const { engine, paperAccount } = this.deps.sim
    const at = engine.now()
    const entries: LedgerEntryInput[] = []
    const open = (account: string, balances: Record<string, string>) => {
      if (this.deps.known(account)) return
      for (const [asset, amount] of Object.entries(balances).sort(([a], [b]) => a.localeCompare(b))) {
        if (!/^\d*\.?\d+$/.test(amount) || Number(amount) === 0) continue
        entries.push({ kind: 'deposit', account, timestamp: at, asset, amount, fee: null, source: 'app', externalId: `opening:${asset}` })
      }
    }
    const held = (accountId: string): Record<string, string> =>
      Object.fromEntries(engine.balances(accountId).map((b) => [b.asset, b.total]))
    if (engine.hasAccount(paperAccount)) open(SIM_LEDGER_ACCOUNT, held(paperAccount))
    const symbols = new Set(engine.markets().map((m) => m.symbol))
    for (const def of simTraderDefinitions) {
      if (!def.symbols.every((s) => symbols.has(s))) continue
      // Not created yet: the runtime funds it with its starting balances when it starts.
      open(simTraderLedgerAccount(def.id), engine.hasAccount(def.id) ? held(def.id) : def.startingBalances)
    }
    if (entries.length === 0) return
    try {
      this.deps.importBatch(entries, null)
    } catch (err) {
      this.deps.log.error('could not record the simulated accounts\' opening balances', err)
    }
  }
}

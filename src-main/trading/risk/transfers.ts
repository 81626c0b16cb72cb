import Decimal from 'decimal.js'
import type { LedgerTransfer } from '../../portfolio/day-transfers'
import type { Transfer, Venue } from '../../venues/port'
import { unitValue, VALUATION_ASSET } from '../../venues/valuation'
import type { CheckPrices } from './prices'
import type { RiskStore } from './store'

// Money moved in or out of an account since its day started, for the daily loss limit: the day's P&L is the
// equity now − the equity at the start − the net transfers in. Two sources, merged by the transfer's key:
//   - the ledger (portfolio): a paper balance reset, and an exchange account's synced deposits/withdrawals;
//   - the exchange itself, asked since the day's start (at most once a minute per account), where it can
//     report them (ccxt's fetchDeposits and fetchWithdrawals): the ledger only has what a sync brought.
// An exchange that cannot report them is "not known": its day counts as before, and the Risk panel says so.

/** How often an exchange is asked for the day's transfers (the risk refresh reads them much more often). */
export const TRANSFERS_TTL_MS = 60_000

export interface DayTransfer {
  key: string
  kind: 'deposit' | 'withdrawal'
  asset: string
  amount: string
  fee: { asset: string; amount: string } | null
  at: number
}

export type TransfersRead = { known: true; transfers: DayTransfer[] } | { known: false; why: string }

/** The transfers since the day's start, valued in USDT: deposits − withdrawals is `net`. */
export interface DayMoves {
  deposited: Decimal
  withdrawn: Decimal
  net: Decimal
}

export interface DayTransferDeps {
  /** The ledger's deposits and withdrawals of an account after a moment (portfolio/day-transfers). */
  ledger?: ((account: string, after: number) => LedgerTransfer[]) | undefined
  /** Accounts the app funds itself (the simulated exchange's paper account, paper accounts): the ledger has every transfer. */
  appFunded: (venueId: string) => boolean
  now: () => number
}

export class DayTransfers {
  private readonly polled = new Map<string, { at: number; after: number; rows: DayTransfer[] }>()

  constructor(private readonly deps: DayTransferDeps) {}

  /** Drops what was read for the account (a paper reset: the ledger has new entries to read). */
  forget(venueId: string): void {
    this.polled.delete(venueId)
  }

  /** The account's transfers with time > `after`, or why they are not known. Throws when the exchange could not be asked. */
  async read(venue: Venue, label: string, after: number): Promise<TransfersRead> {
    const byKey = new Map<string, DayTransfer>()
    for (const t of this.deps.ledger?.(venue.id, after) ?? []) byKey.set(t.key, { key: t.key, kind: t.kind, asset: t.asset, amount: t.amount, fee: t.fee, at: t.timestamp })
    if (this.deps.appFunded(venue.id)) return { known: true, transfers: [...byKey.values()] }
    const paging = venue.fetchTransfers ? venue.historyPaging?.().transfers : null
    if (!paging || !venue.fetchTransfers) return { known: false, why: `deposits and withdrawals not known for ${label}` }
    for (const t of await this.poll(venue, after, paging)) if (!byKey.has(t.key)) byKey.set(t.key, t)
    return { known: true, transfers: [...byKey.values()] }
  }

  private async poll(venue: Venue, after: number, paging: { windowMs: number; limit: number }): Promise<DayTransfer[]> {
    const now = this.deps.now()
    const cached = this.polled.get(venue.id)
    if (cached !== undefined && cached.after === after && now - cached.at < TRANSFERS_TTL_MS) return cached.rows
    const fetch = venue.fetchTransfers!.bind(venue)
    const rows: DayTransfer[] = []
    for (const kind of ['deposit', 'withdrawal'] as const) {
      // Today only: one window (a day is shorter than any venue's window), paged by halving when full.
      const seen = await readAll((since, until) => fetch(kind, { since, until, limit: paging.limit }), after + 1, now, paging.limit)
      for (const t of seen) if (counts(t) && t.timestamp > after) rows.push(fromVenue(t))
    }
    this.polled.set(venue.id, { at: now, after, rows })
    return rows
  }
}

/**
 * A deposit counts once credited; a withdrawal as soon as it left the balance (pending included: exchanges
 * take the coins when it is asked for), not once it failed or was canceled (they come back).
 */
function counts(t: Transfer): boolean {
  return t.kind === 'deposit' ? t.status === 'ok' : t.status === 'ok' || t.status === 'pending'
}

function fromVenue(t: Transfer): DayTransfer {
  return { key: `${t.kind}:${t.id}`, kind: t.kind, asset: t.asset, amount: t.amount, fee: t.fee, at: t.timestamp }
}

/** since..until whole: a full page is asked again in halves, down to a millisecond. */
async function readAll(fetch: (since: number, until: number) => Promise<Transfer[]>, since: number, until: number, limit: number): Promise<Transfer[]> {
  if (since > until) return []
  const page = await fetch(since, until)
  if (page.length < limit || since === until) return page
  const mid = since + Math.floor((until - since) / 2)
  const byId = new Map<string, Transfer>()
  for (const t of [...page, ...(await readAll(fetch, since, mid, limit)), ...(await readAll(fetch, mid + 1, until, limit))]) byId.set(t.id, t)
  return [...byId.values()]
}

/**
 * Each transfer at its value in USDT when first seen (kept, so a later price move stays the trader's): a
 * withdrawal with its fee (it left the balance too), a deposit as it arrived. An asset with no market here is
 * worth 0, as it is in the equity; a price that could not be read right now throws (nothing is kept from it).
 */
export async function valueMoves(store: RiskStore, venueId: string, transfers: readonly DayTransfer[], prices: CheckPrices, now: number): Promise<DayMoves> {
  let deposited = new Decimal(0)
  let withdrawn = new Decimal(0)
  for (const t of transfers) {
    let value = store.transferValue(venueId, t.key)
    if (value === undefined) {
      let sum = await valueOf(t.asset, t.amount, prices)
      if (t.kind === 'withdrawal' && t.fee !== null) sum = sum.plus(await valueOf(t.fee.asset, t.fee.amount, prices))
      value = store.keepTransferValue(venueId, t.key, t.asset, t.amount, sum.toFixed(), now)
    }
    if (t.kind === 'deposit') deposited = deposited.plus(value)
    else withdrawn = withdrawn.plus(value)
  }
  return { deposited, withdrawn, net: deposited.minus(withdrawn) }
}

async function valueOf(asset: string, amount: string, prices: CheckPrices): Promise<Decimal> {
  const unit = await unitValue(asset, prices.priceOf)
  if (unit !== null) return unit.times(amount)
  if (prices.failures.size > 0) {
    const [symbol, error] = [...prices.failures][0]!
    throw new Error(`the ${symbol} price could not be read to value a transfer of ${amount} ${asset} in ${VALUATION_ASSET}: ${error}`)
  }
  return new Decimal(0)
}

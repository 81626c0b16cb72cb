import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import { AnyMarketLeader, FillingGateway, followSettings, makeCopier, market } from '../support/copy/world'

// An exchange leader's fills are polled market by market (the fallback when its user-data stream drops,
// and the catch-up at start), at most 30 markets. Each held coin needs one of them: a venue listing every
// coin against USDT, USDC, FDUSD and TUSD (as Binance does) must not fill the 30 with the first coins'
// dollar markets and leave the last coins unwatched.

const QUOTES = ['TUSD', 'FDUSD', 'USDC', 'USDT'] // listed in this order: the preference is the copier's, not the venue's

class HoldingLeader extends AnyMarketLeader {
  polled: string[] = []
  constructor(private readonly coins: string[]) {
    super()
  }
  override async balances() {
    return new Map(this.coins.map((c) => [c, new Decimal(1)]))
  }
  override async markets() {
    return this.coins.flatMap((c) => QUOTES.map((q) => market(`${c}/${q}`)))
  }
  override async fetchSince(since: number, symbols: string[] = []) {
    this.polled = symbols
    return super.fetchSince(since)
  }
}

async function polledFor(coins: string[]) {
  const leader = new HoldingLeader(coins)
  const warnings: string[] = []
  const log = { info: () => {}, error: () => {}, warn: (m: string) => warnings.push(m) }
  const { copier, store } = makeCopier({ leader, gateway: new FillingGateway(), world: { markets: {}, books: {}, quoteUnits: {}, equity: new Decimal(1000) }, log })
  try {
    await copier.follow(followSettings({}))
    await copier.idle()
    return { polled: leader.polled, warnings }
  } finally {
    await copier.stop()
    store.close()
  }
}

describe('copier: the leader markets polled for fills', () => {
  it('9 held coins × 4 dollar quotes: every coin has its USDT market polled, the rest up to 30', async () => {
    const coins = ['BTC', 'ETH', 'SOL', 'XRP', 'ADA', 'DOGE', 'LINK', 'AVAX', 'DOT']
    const { polled, warnings } = await polledFor(coins)
    expect(coins.filter((c) => !polled.includes(`${c}/USDT`))).toEqual([])
    expect(polled).toHaveLength(30)
    expect(warnings.filter((w) => w.includes('not polled'))).toEqual([])
  })

  it('more held coins than 30 markets: one market each for 30 of them, a warning names the others once', async () => {
    const coins = Array.from({ length: 33 }, (_, i) => `C${String(i).padStart(2, '0')}`)
    const { polled, warnings } = await polledFor(coins)
    expect(polled).toHaveLength(30)
    expect(new Set(polled.map((s) => s.split('/')[0])).size).toBe(30)
    expect(polled.every((s) => s.endsWith('/USDT'))).toBe(true)
    const unpolled = coins.filter((c) => !polled.some((s) => s.startsWith(`${c}/`)))
    const named = warnings.filter((w) => w.includes('not polled'))
    expect(named).toHaveLength(1)
    for (const c of unpolled) expect(named[0]).toContain(c)
  })
})

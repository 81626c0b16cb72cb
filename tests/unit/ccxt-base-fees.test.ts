import { describe, expect, it } from 'vitest'
import { CcxtVenue } from '../../src-main/venues/ccxt/venue'
import type { ExchangeId } from '../../src-main/accounts/exchanges'

// Markets whose exchange publishes no fee get the exchange's base-tier spot rates (what paper accounts on
// it charge), not ccxt's stale defaults; a market with fees of its own keeps them.

type Raw = Record<string, unknown>

async function marketsOf(exchange: ExchangeId, markets: Raw[]) {
  const venue = new CcxtVenue({ accountId: exchange, exchange, sandbox: false, apiBaseUrl: null, credentials: { apiKey: '', secret: '' } })
  const ex = (venue as unknown as { ex: Raw & { setMarkets(m: unknown[]): void; markets: unknown } }).ex
  // setMarkets fills what a market lacks from ccxt's defaults for the exchange, as its loadMarkets does.
  ex.setMarkets(
    markets.map((m) => ({
      id: String(m.symbol).replace('/', '-'), base: 'BTC', quote: 'USDT', baseId: 'BTC', quoteId: 'USDT', type: 'spot', spot: true, margin: false, swap: false,
      future: false, option: false, contract: false, active: true, precision: { amount: 0.00001, price: 0.1 }, limits: { amount: {}, price: {}, cost: {} }, info: {},
      ...m,
    })),
  )
  ex.loadMarkets = async () => ex.markets
  return Object.fromEntries((await venue.loadMarkets()).map((m) => [m.symbol, [m.makerFee, m.takerFee]]))
}

describe('spot fee rates of markets', () => {
  it('OKX publishes no fee with its instruments: its Lv1 spot rates, maker 0.08 %, taker 0.10 %', async () => {
    expect(await marketsOf('okx', [{ symbol: 'BTC/USDT' }])).toEqual({ 'BTC/USDT': ['0.0008', '0.001'] })
  })

  it('Bitget markets without a fee rate are charged its VIP 0 spot rates, not nothing', async () => {
    expect(await marketsOf('bitget', [{ symbol: 'BTC/USDT' }])).toEqual({ 'BTC/USDT': ['0.001', '0.001'] })
  })

  it('a market that carries fees of its own keeps them', async () => {
    expect(await marketsOf('okx', [{ symbol: 'BTC/USDT', maker: 0, taker: 0.0005 }])).toEqual({ 'BTC/USDT': ['0', '0.0005'] })
  })

  it('an exchange not in the table keeps what ccxt says', async () => {
    expect(await marketsOf('coinbase', [{ symbol: 'BTC/USDT' }])).toEqual({ 'BTC/USDT': ['0.006', '0.012'] })
  })
})

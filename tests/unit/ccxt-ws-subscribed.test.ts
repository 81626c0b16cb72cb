import { describe, expect, it } from 'vitest'
import { authenticating, namesPrivate, namesTrades } from '../../src-main/venues/ccxt/ws-subscribed'

// Which ccxt subscription is a market's public trades: the tape refills as soon as one is connected.

describe('namesTrades', () => {
  it("knows each exchange's public-trades hash for the market", () => {
    expect(namesTrades('trade::BTC/USDT', 'BTC/USDT')).toBe(true) // Binance
    expect(namesTrades('trades:BTC/USDT', 'BTC/USDT')).toBe(true) // OKX and most others
    expect(namesTrades('trade:BTC/USDT', 'BTC/USDT')).toBe(true) // Bybit
    expect(namesTrades('trade@BTC/USD', 'BTC/USD')).toBe(true) // Kraken
  })

  it("never another market's, nor the account's own trades or orders", () => {
    expect(namesTrades('trade::ETH/USDT', 'BTC/USDT')).toBe(false)
    expect(namesTrades('trade::BTC/USDC', 'BTC/USD')).toBe(false)
    expect(namesTrades('myTrades', 'BTC/USDT')).toBe(false)
    expect(namesTrades('myTrades:BTC/USDT', 'BTC/USDT')).toBe(false)
    expect(namesTrades('orders:BTC/USDT', 'BTC/USDT')).toBe(false)
  })

  it('a market whose coin is named like a channel (ORDER, Orderly Network) is still known', () => {
    expect(namesTrades('trade::ORDER/USDT', 'ORDER/USDT')).toBe(true)
    expect(namesTrades('trade:ORDER/USDT', 'ORDER/USDT')).toBe(true)
    expect(namesTrades('orders:ORDER/USDT', 'ORDER/USDT')).toBe(false)
    expect(namesTrades('myTrades:ORDER/USDT', 'ORDER/USDT')).toBe(false)
  })
})

// Which ccxt subscription is the account's own order or fill stream: its status turns live once one is there.
describe('namesPrivate', () => {
  it("knows each exchange's order and fill stream subscription", () => {
    expect(namesPrivate('spot')).toBe(true) // Binance's WebSocket API user-data subscription
    expect(namesPrivate('orders')).toBe(true) // OKX, Bybit
    expect(namesPrivate('openOrders')).toBe(true) // Kraken
    expect(namesPrivate('spot.orders')).toBe(true) // Gate
    expect(namesPrivate('order:trades')).toBe(true) // Bitget
    expect(namesPrivate('spot@private.orders.v3.api.pb')).toBe(true) // MEXC
    expect(namesPrivate('myTrades')).toBe(true)
    expect(namesPrivate('orders:ORDER/USDT')).toBe(true)
  })

  it('never a public stream, also of a coin named like a channel', () => {
    expect(namesPrivate('trade::BTC/USDT')).toBe(false)
    expect(namesPrivate('trade::ORDER/USDT')).toBe(false)
    expect(namesPrivate('trade@ORDER/USD')).toBe(false)
    expect(namesPrivate('orderusdt@trade')).toBe(false)
    expect(namesPrivate('btcusdt@depth@100ms')).toBe(false)
    expect(namesPrivate('orderbook:BTC/USDT')).toBe(false)
    expect(namesPrivate('ticker:ORDER/USDT')).toBe(false)
  })
})

describe('authenticating', () => {
  it("waits for Binance's unanswered user-data subscription, not for a login ccxt keeps once done", () => {
    expect(authenticating('authenticate:signature:spot')).toBe(true)
    expect(authenticating('authenticated')).toBe(false) // OKX, Bybit: resolved and kept
    expect(authenticating('orders')).toBe(false)
  })
})

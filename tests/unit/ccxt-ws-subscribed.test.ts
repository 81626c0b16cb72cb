import { describe, expect, it } from 'vitest'
import { namesTrades } from '../../src-main/venues/ccxt/ws-subscribed'

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

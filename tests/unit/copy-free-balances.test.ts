import Decimal from 'decimal.js'
import { expect, it } from 'vitest'
import { FreeBalances } from '../../src-main/copy/free-balances'
import type { FillRecord } from '../../src-main/trading/model'

// The kept free balance a copy sale may decide on without waiting for a read.

const fill = (side: 'buy' | 'sell', amount: string, fee = { asset: 'USDT', amount: '0.1' }): FillRecord => ({
  venueId: 'okx',
  tradeId: `t${amount}${side}`,
  venueOrderId: 'o1',
  clientOrderId: 'hand1',
  symbol: 'ETH/USDT',
  side,
  price: '3000',
  amount,
  fee,
  liquidity: 'taker',
  timestamp: 0,
})

it('moves the last read by the app’s fills since (a sale by hand in the app lowers it), and forgets it past the TTL', async () => {
  let now = 1000
  const free = new FreeBalances(() => now, 5000)
  expect(free.estimate('okx', 'ETH')).toBeUndefined()
  await free.read('okx', 'ETH', async () => new Decimal('0.3'))
  expect(free.estimate('okx', 'ETH')?.toFixed()).toBe('0.3')
  free.onFill(fill('sell', '0.2'))
  expect(free.estimate('okx', 'ETH')?.toFixed()).toBe('0.1')
  free.onFill(fill('buy', '0.05', { asset: 'ETH', amount: '0.001' })) // a fee in the coin bought arrives less
  expect(free.estimate('okx', 'ETH')?.toFixed()).toBe('0.149')
  expect(free.estimate('okx', 'BTC')).toBeUndefined()
  now += 5000
  expect(free.estimate('okx', 'ETH')).toBeUndefined()
})

it('does not keep a read a fill of that coin landed during (it may or may not include it); a dropped one is read again', async () => {
  const free = new FreeBalances(() => 0, 5000)
  let answer!: (v: Decimal) => void
  const reading = free.read('okx', 'ETH', () => new Promise<Decimal>((resolve) => (answer = resolve)))
  free.onFill(fill('sell', '0.2'))
  answer(new Decimal('0.1'))
  expect((await reading)?.toFixed()).toBe('0.1') // the caller still gets the answer
  expect(free.estimate('okx', 'ETH')).toBeUndefined()
  await free.read('okx', 'ETH', async () => new Decimal('0.1'))
  expect(free.estimate('okx', 'ETH')?.toFixed()).toBe('0.1')
  free.drop('okx', 'ETH')
  expect(free.estimate('okx', 'ETH')).toBeUndefined()
})

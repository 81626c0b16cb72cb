import Decimal from 'decimal.js'
import { expect, it } from 'vitest'
import { SaleReservations } from '../../src-main/copy/sale-reservations'

// What a copy sale may take of a read free balance: the read less the coins other copy sales hold that the
// exchange may not have counted when it answered the read.

const d = (v: string) => new Decimal(v)

it('takes off the sales decided before or during the read and not answered before it began', async () => {
  const book = new SaleReservations()
  book.reserve('okx', 'ETH', 'a', d('0.2')) // decided, not sent yet
  book.reserve('okx', 'ETH', 'old', d('0.5'))
  book.sent('okx', 'ETH', 'old', d('0.5'))
  book.answered('old') // answered before the read: a read counts it already
  let answer!: (v: Decimal) => void
  const pending = book.read('okx', 'ETH', () => new Promise<Decimal>((resolve) => (answer = resolve)))
  book.reserve('okx', 'ETH', 'b', d('0.1')) // another sale decided while the read is out
  book.reserve('okx', 'BTC', 'c', d('1')) // another coin: none of this read's business
  answer(d('1'))
  const read = (await pending)!
  book.reserve('okx', 'ETH', 'e', d('0.05')) // decided after the reply, before this sale decides
  expect(read.free().toFixed()).toBe('0.65')
  expect(read.ambiguous()).toBeNull() // none was sent before the reply came: none can be in it
  read.done()
  book.reserve('okx', 'ETH', 'f', d('0.05')) // after done(): the sale has decided, not its business
  expect(read.free().toFixed()).toBe('0.65')
})

it('a sale sent before the reply may or may not be in it: ambiguous until the exchange answers it', async () => {
  const book = new SaleReservations()
  book.reserve('okx', 'ETH', 'a', d('0.3'))
  book.sent('okx', 'ETH', 'a', d('0.3'))
  const read = (await book.read('okx', 'ETH', async () => d('0.3')))!
  expect(read.free().toFixed()).toBe('0') // counted, in case the read does not include it
  const wait = read.ambiguous()
  expect(wait).not.toBeNull()
  let settled = false
  void wait!.then(() => (settled = true))
  await Promise.resolve()
  expect(settled).toBe(false)
  book.answered('a')
  await wait
  read.done()
  // read again: the answered sale is in the balance now, not taken off twice
  const again = (await book.read('okx', 'ETH', async () => d('0')))!
  expect(again.free().toFixed()).toBe('0')
  expect(again.ambiguous()).toBeNull()
  again.done()
  const later = (await book.read('okx', 'ETH', async () => d('0.4')))!
  expect(later.free().toFixed()).toBe('0.4')
})

it('a failed read lets go of what it collected; a null read is no read', async () => {
  const book = new SaleReservations()
  await expect(book.read('okx', 'ETH', () => Promise.reject(new Error('down')))).rejects.toThrow('down')
  expect(await book.read('okx', 'ETH', async () => null)).toBeNull()
})

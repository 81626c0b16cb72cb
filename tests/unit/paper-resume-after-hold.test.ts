import { afterEach, describe, expect, it, vi } from 'vitest'
import { ManualMarket, fakeSource, order, paperRig, type PaperRig } from '../support/paper-market'
import { PaperAccounts } from '../../src-main/venues/paper/paper-accounts'
import { RequestHeldError } from '../../src-main/venues/ccxt/request-hold'
import { silentLogger } from '../../src-main/log'

// A paper account on Binance's public data reads through a keyless connection that Binance's per-IP rate hold
// holds too, and that hold outlives a restart. Started inside it, the account's resting orders cannot follow
// their market at once (loading its markets is refused, saying until when); once the hold ends they must,
// without anyone opening the account: a limit order left resting must still fill when the price comes.

let rig: PaperRig | undefined
let accounts: PaperAccounts | undefined
afterEach(async () => {
  vi.useRealTimers()
  await accounts?.stop()
  accounts = undefined
  await rig?.close()
  rig = undefined
})

describe('paper accounts started inside a rate hold of their source', () => {
  it('resume their resting orders once the hold ends', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['99', '1']], asks: [['100', '1']] })
    await rig.venue.placeOrder(order({ side: 'buy', type: 'limit', amount: '1', price: '95' }))
    await rig.venue.close()

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    let heldUntil = Date.now() + 30_000
    const source = fakeSource()
    source.loadMarkets = async () => {
      const left = heldUntil - Date.now()
      if (left > 0) throw new RequestHeldError(`Binance is rate-limiting this account (it answered "Retry-After"): nothing is sent to Binance for ${Math.ceil(left / 1000)} more s`, left)
      return fakeSource().loadMarkets()
    }
    const market = new ManualMarket()
    accounts = new PaperAccounts({
      store: rig.store,
      venues: { list: () => [], open: () => Promise.reject(new Error('no venue sources here')) },
      marketSource: () => market,
      log: silentLogger,
      now: () => Date.now(),
      onChanged: () => undefined,
      onBalances: () => undefined,
      createPublicVenue: () => source,
      venueOptions: { clock: rig.clock, liveWaitMs: 0, lingerMs: 1000 },
    })

    await accounts.resume()
    expect(market.bookOf('BTC/USDT').holds).toBe(0) // held: its markets could not load

    // The hold is extended meanwhile (another 429): asked again at the first end, it waits for the second.
    heldUntil += 10_000
    await vi.advanceTimersByTimeAsync(30_000)
    expect(market.bookOf('BTC/USDT').holds).toBe(0)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(market.bookOf('BTC/USDT').holds).toBe(1)
    expect(market.listeners('BTC/USDT')).toBe(1)
  })
})

import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { migrationsDir, tempDir } from '../support/temp-core'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { openStore, type Store } from '../../src-main/store/open'
import { memoryKeychain } from '../../src-main/secrets/keychain'
import { SecretsService } from '../../src-main/secrets/service'
import { AccountsService } from '../../src-main/accounts/service'
import { SimHost } from '../../src-main/venues/sim/host'
import { VenueRegistry } from '../../src-main/venues/registry'
import type { MarketInfo } from '../../src-main/venues/port'

// markets.search (the Markets page's search box, Open market…) finds a pair however a trader types it:
// as this app writes it (BTC/USDT), with another separator (btc-usdt, btc usdt) or as exchanges write it
// (BTCUSDT, ethbtc).

let registry: VenueRegistry
let sim: SimHost
let stop: () => Promise<void>
beforeAll(() => {
  const dir = tempDir()
  const store: Store = openStore(dir, migrationsDir)
  const bus = new EventBus()
  const accounts = new AccountsService(store.db, new SecretsService(store.db, memoryKeychain(), silentLogger), bus, silentLogger)
  sim = new SimHost({ db: store.db, log: silentLogger, mode: 'manual', seed: 7, persist: false })
  registry = new VenueRegistry(sim, accounts, bus, silentLogger)
  stop = async () => {
    await registry.stop()
    await sim.stop()
    store.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
afterAll(() => stop())

const find = async (q: string) => (await registry.markets(q, 'sim', 50)).map((m) => m.symbol)

describe('markets.search', () => {
  it('finds a pair written with a slash, another separator or none', async () => {
    for (const q of ['BTC/USDT', 'btc/usdt', 'btc-usdt', 'btc usdt', 'BTCUSDT', 'btcusdt']) expect(await find(q), q).toEqual(['BTC/USDT'])
    expect(await find('ETHBTC')).toEqual(['ETH/BTC'])
    expect(await find('xrpusdt')).toEqual(['XRP/USDT'])
  })

  it('still finds by an asset or a part of the pair', async () => {
    expect(await find('btc')).toEqual(expect.arrayContaining(['BTC/USDT', 'ETH/BTC']))
    expect(await find('/btc')).toEqual(['ETH/BTC'])
    expect(await find('ETHB')).toEqual(['ETH/BTC'])
    expect(await find('nosuchcoin')).toEqual([])
  })
})

describe('markets.search on a venue whose markets could not be loaded', () => {
  // Answering [] made a market of that venue look like it does not exist (or left a chart "waiting" forever).
  it('says so for that venue instead of answering no markets', async () => {
    const failing = vi.spyOn(sim.paper, 'loadMarkets').mockRejectedValue(new Error('HTTP 503 from the exchange'))
    try {
      await expect(registry.markets('BTC/USDT', 'sim', 50)).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringMatching(/^Markets of .+ could not be loaded: HTTP 503 from the exchange$/),
      })
      // A search over every venue still answers with the others' markets (the venue shows its own error).
      await expect(registry.markets('BTC', undefined, 50)).resolves.toEqual([])
    } finally {
      failing.mockRestore()
    }
    expect(await find('BTC/USDT')).toEqual(['BTC/USDT'])
  })
})

describe('markets.search ranks the pair typed first', () => {
  // Kraken lists its pairs by pair id (XBTUSDC, XBTUSDT, XXBTZUSD): BTC/USDC, BTC/USDT, then BTC/USD. Open
  // market… opens the first result on Enter: "BTCUSD" opened BTC/USDC.
  const info = (symbol: string): MarketInfo => {
    const [base, quote] = symbol.split('/') as [string, string]
    return { symbol, base, quote, tickSize: '0.1', stepSize: '0.00000001', minAmount: '0.0001', minNotional: '0', makerFee: '0', takerFee: '0', active: true }
  }
  const kraken = ['WBTC/USDT', 'BTC/USDC', 'BTC/USDT', 'ETH/BTC', 'BTC/USD', 'BTCX/USD', 'ETH/USD'].map(info)
  const withKraken = async <T>(body: () => Promise<T>): Promise<T> => {
    const spy = vi.spyOn(sim.paper, 'loadMarkets').mockResolvedValue(kraken)
    // These pairs are not the simulator's: no ticker for them.
    const ticker = vi.spyOn(sim.engine, 'ticker').mockReturnValue({ last: null, changePct24h: null, volume24h: null } as never)
    try {
      return await body()
    } finally {
      spy.mockRestore()
      ticker.mockRestore()
    }
  }

  it('the exact pair, then pairs it begins, then by asset, then containing it', async () => {
    await withKraken(async () => {
      expect(await find('BTCUSD')).toEqual(['BTC/USD', 'BTC/USDC', 'BTC/USDT', 'WBTC/USDT'])
      expect(await find('btc/usd')).toEqual(['BTC/USD', 'BTC/USDC', 'BTC/USDT', 'WBTC/USDT'])
      expect((await find('btcusdt'))[0]).toBe('BTC/USDT')
      expect(await find('BTC')).toEqual(['BTC/USDC', 'BTC/USDT', 'BTC/USD', 'BTCX/USD', 'WBTC/USDT', 'ETH/BTC'])
    })
  })

  it('the limit keeps the best matches, not the first listed', async () => {
    await withKraken(async () => {
      expect((await registry.markets('BTCUSD', 'sim', 1)).map((m) => m.symbol)).toEqual(['BTC/USD'])
    })
  })
})

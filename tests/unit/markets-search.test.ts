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

import { randomBytes } from 'node:crypto'
import type { MatchingEngine } from '../../../src-main/venues/sim/engine-api'
import { closables } from '../exchange-server/closables'
import { createLadderedEngine } from '../exchange-server/ladder'
import { startFlow as startOrderFlow } from '../exchange-server/order-flow'
import type { BinanceAccountConfig } from './auth'
import { binancePro, binanceRest, type BinancePro, type BinanceRest } from './ccxt'
import { startBinanceServer, type BinanceServer, type BinanceServerOptions } from './index'

// A ready-made venue for tests: the real matching engine with the default markets, a market maker's ladder,
// funded accounts with keys of every permission flavour, and ccxt instances pointed at the server.

/** A Binance-looking API key or secret: 64 alphanumerics. */
export function randomKey(): string {
  let out = ''
  while (out.length < 64) out += randomBytes(48).toString('base64').replace(/[^A-Za-z0-9]/g, '')
  return out.slice(0, 64)
}

/** `secondTrader`: another trading account (its own key) on the same host, for what one account's limit does to another. */
export type KeyName = 'trader' | 'secondTrader' | 'readOnly' | 'ipBlocked' | 'frozen'

export interface BinanceFixture {
  engine: MatchingEngine
  server: BinanceServer
  keys: Record<KeyName, BinanceAccountConfig>
  /** A new ccxt.binance for the key (tracked, closed by close()). */
  rest(key?: KeyName | { apiKey: string; secret: string }, options?: Record<string, unknown>): BinanceRest
  /** A new ccxt.pro.binance for the key (tracked, closed by close()). */
  pro(key?: KeyName, options?: Record<string, unknown>): BinancePro
  close(): Promise<void>
}

export { MAKER, seedLadder } from '../exchange-server/ladder'

/** ../exchange-server/order-flow.ts's startFlow with Binance's client order ids `flow-<n>` (no seed in them). */
export function startFlow(engine: MatchingEngine, symbol: string, mid: string, unit: string, everyMs = 10, seed = 7): () => void {
  return startOrderFlow(engine, symbol, mid, unit, everyMs, seed, 'flow')
}

export async function createBinanceFixture(options: Partial<Omit<BinanceServerOptions, 'engine' | 'accounts'>> = {}): Promise<BinanceFixture> {
  const engine = createLadderedEngine()

  const key = (accountId: string, permissions: BinanceAccountConfig['permissions']): BinanceAccountConfig => ({
    apiKey: randomKey(),
    secret: randomKey(),
    accountId,
    permissions,
  })
  const keys: Record<KeyName, BinanceAccountConfig> = {
    trader: key('alice', { spot: true }),
    secondTrader: key('erin', { spot: true }),
    readOnly: key('bob', { spot: false }),
    ipBlocked: key('carol', { spot: true, ipAllowed: false }),
    frozen: key('dave', { spot: true, canTrade: false }),
  }
  for (const accountId of ['alice', 'erin', 'bob', 'carol', 'dave']) {
    engine.deposit(accountId, 'USDT', '100000')
    engine.deposit(accountId, 'BTC', '1')
  }

  const server = await startBinanceServer({ engine, accounts: Object.values(keys), ...options })
  const open = closables()
  const creds = (k: KeyName | { apiKey: string; secret: string }) => {
    const c = typeof k === 'string' ? keys[k] : k
    return { apiKey: c.apiKey, secret: c.secret }
  }
  return {
    engine,
    server,
    keys,
    rest: (k = 'trader', opts = {}) => open.track(binanceRest(server, creds(k), opts)),
    pro: (k = 'trader', opts = {}) => open.track(binancePro(server, creds(k), opts)),
    close: async () => {
      await open.closeAll()
      await server.close()
    },
  }
}

import { randomBytes, randomUUID } from 'node:crypto'
import Decimal from 'decimal.js'
import type { MatchingEngine } from '../../../src-main/venues/sim/engine-api'
import { createMatchingEngine } from '../../../src-main/venues/sim/matching/engine'
import { defaultSimMarkets } from '../../../src-main/venues/sim/markets'
import type { OkxAccountConfig } from './auth'
import { okxPro, okxRest, type OkxCredentials, type OkxPro, type OkxRest } from './ccxt'
import { startOkxServer, type OkxServer, type OkxServerOptions } from './index'

// A ready-made venue for tests: the real matching engine with the default markets, a market maker's ladder,
// funded accounts with keys of every permission flavour, and ccxt instances pointed at the server.
// (seedLadder / startFlow are engine-only helpers, the same as tests/support/binance/fixture.ts has.)

export type KeyName = 'trader' | 'readOnly' | 'ipBlocked'

export interface OkxFixture {
  engine: MatchingEngine
  server: OkxServer
  keys: Record<KeyName, OkxAccountConfig>
  /** A new ccxt.okx for the key (tracked, closed by close()). */
  rest(key?: KeyName | OkxCredentials, options?: Record<string, unknown>): OkxRest
  /** A new ccxt.pro.okx for the key (tracked, closed by close()). */
  pro(key?: KeyName | OkxCredentials, options?: Record<string, unknown>): OkxPro
  close(): Promise<void>
}

export const MAKER = 'maker'

/** An OKX-looking API key (a UUID), secret (32 hex upper-case) and passphrase. */
export function randomOkxKey(): Pick<OkxAccountConfig, 'apiKey' | 'secret' | 'passphrase'> {
  return { apiKey: randomUUID(), secret: randomBytes(16).toString('hex').toUpperCase(), passphrase: `Pass-${randomBytes(6).toString('hex')}` }
}

/** Rests `levels` bids and asks around `mid`, `spacing` apart, `amount` each, for the maker account. */
export function seedLadder(engine: MatchingEngine, symbol: string, mid: string, spacing: string, amount: string, levels: number): void {
  for (let i = 1; i <= levels; i++) {
    const off = new Decimal(spacing).times(i)
    for (const side of ['buy', 'sell'] as const) {
      engine.placeOrder({
        accountId: MAKER,
        clientOrderId: `ladder-${symbol}-${side}-${i}`,
        symbol,
        side,
        type: 'limit',
        amount,
        price: (side === 'buy' ? new Decimal(mid).minus(off) : new Decimal(mid).plus(off)).toFixed(),
        timeInForce: 'GTC',
        postOnly: false,
      })
    }
  }
}

/**
 * Synthetic order flow on one market from its own account: every `everyMs` three limit orders within
 * -8..+31 `unit`s of `mid` on their own side (so about one in five crosses and trades) and cancels of the
 * oldest beyond 30 open. Deterministic (seeded). Returns stop().
 */
export function startFlow(engine: MatchingEngine, symbol: string, mid: string, unit: string, everyMs = 10, seed = 7): () => void {
  const account = `flow-${symbol}`
  const spec = engine.market(symbol)
  engine.deposit(account, spec.base, '1000000')
  engine.deposit(account, spec.quote, '1000000000')
  let state = seed
  const rnd = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
    return state / 2_147_483_648
  }
  let n = 0
  const timer = setInterval(() => {
    for (let k = 0; k < 3; k++) {
      n++
      const side = rnd() < 0.5 ? 'buy' : 'sell'
      const units = Math.floor(rnd() * 40) - 8
      const price = new Decimal(mid).plus(new Decimal(unit).times(units).times(side === 'buy' ? -1 : 1))
      const amount = new Decimal(spec.stepSize).times(1 + Math.floor(rnd() * 5000))
      try {
        engine.placeOrder({
          accountId: account,
          clientOrderId: `flow-${seed}-${n}`,
          symbol,
          side,
          type: 'limit',
          amount: Decimal.max(amount, spec.minAmount).toFixed(),
          price: price.toFixed(),
          timeInForce: 'GTC',
          postOnly: false,
        })
      } catch {
        // rejected (e.g. min notional): fine, the flow is noise
      }
    }
    const open = engine.openOrders(account, symbol)
    if (open.length > 30) {
      for (const o of open.slice(0, open.length - 30)) engine.cancelOrder(account, symbol, { venueOrderId: o.venueOrderId })
    }
  }, everyMs)
  return () => clearInterval(timer)
}

export async function createOkxFixture(options: Partial<Omit<OkxServerOptions, 'engine' | 'accounts'>> = {}): Promise<OkxFixture> {
  const engine = createMatchingEngine(defaultSimMarkets)
  engine.deposit(MAKER, 'BTC', '1000')
  engine.deposit(MAKER, 'ETH', '10000')
  engine.deposit(MAKER, 'USDT', '100000000')
  seedLadder(engine, 'BTC/USDT', '95000', '10', '0.5', 20)
  seedLadder(engine, 'ETH/USDT', '3400', '1', '5', 20)

  const key = (accountId: string, permissions: OkxAccountConfig['permissions']): OkxAccountConfig => ({ ...randomOkxKey(), accountId, permissions })
  const keys: Record<KeyName, OkxAccountConfig> = {
    trader: key('alice', { trade: true }),
    readOnly: key('bob', { trade: false }),
    ipBlocked: key('carol', { trade: true, ipAllowed: false }),
  }
  for (const accountId of ['alice', 'bob', 'carol']) {
    engine.deposit(accountId, 'USDT', '100000')
    engine.deposit(accountId, 'BTC', '1')
  }

  const server = await startOkxServer({ engine, accounts: Object.values(keys), ...options })
  const open: { close(): Promise<unknown> }[] = []
  const creds = (k: KeyName | OkxCredentials): OkxCredentials => (typeof k === 'string' ? keys[k] : k)
  return {
    engine,
    server,
    keys,
    rest: (k = 'trader', opts = {}) => {
      const ex = okxRest(server, creds(k), opts)
      open.push(ex)
      return ex
    },
    pro: (k = 'trader', opts = {}) => {
      const ex = okxPro(server, creds(k), opts)
      open.push(ex)
      return ex
    },
    close: async () => {
      await Promise.allSettled(open.map((ex) => ex.close()))
      await server.close()
    },
  }
}

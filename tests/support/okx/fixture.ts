import { randomBytes, randomUUID } from 'node:crypto'
import type { MatchingEngine } from '../../../src-main/venues/sim/engine-api'
import { closables } from '../exchange-server/closables'
import { createLadderedEngine } from '../exchange-server/ladder'
import type { OkxAccountConfig } from './auth'
import { okxPro, okxRest, type OkxCredentials, type OkxPro, type OkxRest } from './ccxt'
import { startOkxServer, type OkxServer, type OkxServerOptions } from './index'

// A ready-made venue for tests: the real matching engine with the default markets, a market maker's ladder,
// funded accounts with keys of every permission flavour, and ccxt instances pointed at the server.
// (seedLadder / startFlow are the engine-only helpers of ../exchange-server/, re-exported here.)

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

export { MAKER, seedLadder } from '../exchange-server/ladder'
export { startFlow } from '../exchange-server/order-flow'

/** An OKX-looking API key (a UUID), secret (32 hex upper-case) and passphrase. */
export function randomOkxKey(): Pick<OkxAccountConfig, 'apiKey' | 'secret' | 'passphrase'> {
  return { apiKey: randomUUID(), secret: randomBytes(16).toString('hex').toUpperCase(), passphrase: `Pass-${randomBytes(6).toString('hex')}` }
}

export async function createOkxFixture(options: Partial<Omit<OkxServerOptions, 'engine' | 'accounts'>> = {}): Promise<OkxFixture> {
  const engine = createLadderedEngine()

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
  const open = closables()
  const creds = (k: KeyName | OkxCredentials): OkxCredentials => (typeof k === 'string' ? keys[k] : k)
  return {
    engine,
    server,
    keys,
    rest: (k = 'trader', opts = {}) => open.track(okxRest(server, creds(k), opts)),
    pro: (k = 'trader', opts = {}) => open.track(okxPro(server, creds(k), opts)),
    close: async () => {
      await open.closeAll()
      await server.close()
    },
  }
}

import type { Exchange } from 'ccxt'
import { describe, expect, it } from 'vitest'
import { readExchangeAccount } from '../../src-main/venues/ccxt/account-identity'
import { exchangeIds, exchangeSpecs, type ExchangeId } from '../../src-main/accounts/exchanges'

// Each exchange's answer naming the account behind a key, in the shape its documentation gives, read as the
// account id; no answer (or a failed request) is "unknown", never a guess.

const replies: Record<Exclude<ExchangeId, 'kraken'>, [method: string, reply: unknown, id: string]> = {
  binance: ['privateGetAccount', { balances: [], uid: 354937868 }, '354937868'],
  okx: ['privateGetAccountConfig', { code: '0', data: [{ uid: '44705892343619584', mainUid: '44705892343619584', perm: 'read_only,trade' }] }, '44705892343619584'],
  bybit: ['privateGetV5UserQueryApi', { retCode: 0, result: { id: '13770661', readOnly: 0, userID: 24617703 } }, '24617703'],
  gate: ['privateAccountGetDetail', { user_id: 1667201533, ip_whitelist: [], key: { mode: 1 }, tier: 2 }, '1667201533'],
  bitget: ['privateSpotGetV2SpotAccountInfo', { code: '00000', data: { userId: '1864436738', authorities: ['stor'] } }, '1864436738'],
  mexc: ['spotPrivateGetUid', { uid: '209302839' }, '209302839'],
  coinbase: ['v3PrivateGetBrokerageKeyPermissions', { can_view: true, can_trade: true, portfolio_uuid: '1c1c1c1c-2d2d-3e3e-4f4f-5a5a5a5a5a5a' }, '1c1c1c1c-2d2d-3e3e-4f4f-5a5a5a5a5a5a'],
}

const fake = (methods: Record<string, () => Promise<unknown>>) => methods as unknown as Exchange

describe('readExchangeAccount', () => {
  it.each(Object.entries(replies))('%s: reads the documented field', async (exchange, [method, reply, id]) => {
    expect(await readExchangeAccount(exchange as ExchangeId, fake({ [method]: async () => reply }), null)).toBe(id)
  })

  it("binance: takes the uid from the balance request's reply without asking again", async () => {
    const ex = fake({ privateGetAccount: async () => { throw new Error('not asked') } })
    expect(await readExchangeAccount('binance', ex, { uid: 1234567 })).toBe('1234567')
  })

  it('a failed request or a reply without the field is unknown (null)', async () => {
    for (const [exchange, [method]] of Object.entries(replies)) {
      expect(await readExchangeAccount(exchange as ExchangeId, fake({ [method]: async () => { throw new Error('refused') } }), null)).toBeNull()
      expect(await readExchangeAccount(exchange as ExchangeId, fake({ [method]: async () => ({ code: '0', data: [{}], result: {} }) }), null)).toBeNull()
    }
  })

  it('kraken cannot tell: nothing is asked', async () => {
    expect(await readExchangeAccount('kraken', fake({}), null)).toBeNull()
  })

  it("says for every exchange whether it can tell, matching the exchange list's accountIdentity", () => {
    for (const id of exchangeIds) expect(exchangeSpecs[id].accountIdentity === null).toBe(id === 'kraken')
  })
})

import ccxt from 'ccxt'
import { describe, expect, it } from 'vitest'
import { CcxtVenue, type CcxtAccountConfig } from '../../src-main/venues/ccxt/venue'
import { rewriteApiUrls, rewriteOrigin } from '../../src-main/venues/ccxt/urls'
import { toDecimal, toDecimalOrNull, withStringNumbers } from '../../src-main/venues/ccxt/decimals'
import { VenueError } from '../../src-main/venues/port'

const key = (c: string) => c.repeat(64)

function binanceVenue(overrides: Partial<CcxtAccountConfig> = {}): CcxtVenue {
  return new CcxtVenue({
    accountId: 'acc-1',
    exchange: 'binance',
    sandbox: false,
    apiBaseUrl: null,
    credentials: { apiKey: key('a'), secret: key('b') },
    ...overrides,
  })
}

/** The ccxt object inside the venue, its HTTP replaced by canned replies per path. */
function fakeHttp(venue: CcxtVenue, replies: Record<string, unknown>): { urls: string[] } {
  const ex = (venue as unknown as { ex: Record<string, unknown> }).ex
  const seen: string[] = []
  ex.markets = {}
  ex.fetch = async (url: string) => {
    seen.push(url)
    const path = new URL(url).pathname
    if (!(path in replies)) throw new Error(`unexpected request ${path}`)
    return replies[path]
  }
  return { urls: seen }
}

function flatten(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (value && typeof value === 'object') return Object.values(value).flatMap(flatten)
  return []
}

describe('custom base URL: every urls.api origin replaced, paths kept', () => {
  it('rewrites REST and WebSocket origins, keeping paths; ws for http bases, wss for https', () => {
    const base = new URL('http://127.0.0.1:8080')
    expect(rewriteOrigin('https://api.binance.com/api/v3', base)).toBe('http://127.0.0.1:8080/api/v3')
    expect(rewriteOrigin('wss://stream.binance.com:9443/ws', base)).toBe('ws://127.0.0.1:8080/ws')
    expect(rewriteOrigin('https://api.{hostname}/v5', base)).toBe('http://127.0.0.1:8080/v5')
    expect(rewriteOrigin('wss://ws.okx.com:8443/ws/v5/public', new URL('https://proxy.example.com'))).toBe(
      'wss://proxy.example.com/ws/v5/public',
    )
  })

  it('leaves no original origin anywhere in the venue for any supported exchange', () => {
    for (const exchange of ['binance', 'coinbase', 'kraken', 'okx', 'gate', 'bitget', 'bybit', 'mexc'] as const) {
      const venue = new CcxtVenue({
        accountId: 'x',
        exchange,
        sandbox: false,
        apiBaseUrl: 'http://127.0.0.1:9999',
        credentials: { apiKey: 'k', secret: 's', password: 'p' },
      })
      const urls = flatten(((venue as unknown as { ex: { urls: { api: unknown } } }).ex.urls.api))
      expect(urls.length, exchange).toBeGreaterThan(0)
      for (const url of urls) expect(url, `${exchange}: ${url}`).toMatch(/^(http|ws):\/\/127\.0\.0\.1:9999(\/|$)/)
    }
  })

  it('nests: records inside records are rewritten too', () => {
    const api = { ws: { spot: 'wss://a.example/ws', 'ws-api': { spot: 'wss://b.example:443/ws-api/v3' } }, rest: 'https://c.example' }
    expect(rewriteApiUrls(api, new URL('http://localhost:1'))).toEqual({
      ws: { spot: 'ws://localhost:1/ws', 'ws-api': { spot: 'ws://localhost:1/ws-api/v3' } },
      rest: 'http://localhost:1',
    })
  })
})

describe('sandbox', () => {
  it('switches Binance to its testnet with setSandboxMode', () => {
    const venue = binanceVenue({ sandbox: true })
    const api = (venue as unknown as { ex: { urls: { api: Record<string, string> } } }).ex.urls.api
    expect(api.public).toContain('testnet.binance.vision')
    expect(venue.capabilities.sandbox).toBe(true)
  })

  it('refuses a sandbox for an exchange ccxt has none for', () => {
    expect(
      () =>
        new CcxtVenue({ accountId: 'x', exchange: 'kraken', sandbox: true, apiBaseUrl: null, credentials: { apiKey: 'k', secret: 's' } }),
    ).toThrow(/no sandbox/)
  })
})

describe('exact decimals', () => {
  it('toDecimal keeps strings exact and writes floats as their shortest decimal, without exponents', () => {
    expect(toDecimal('98765432109.87654321', 'x')).toBe('98765432109.87654321')
    expect(toDecimal('0.00012000', 'x')).toBe('0.00012')
    expect(toDecimal(1e-8, 'x')).toBe('0.00000001')
    expect(toDecimal('1e-8', 'x')).toBe('0.00000001')
    expect(toDecimal(0.1, 'x')).toBe('0.1')
    expect(toDecimalOrNull(undefined, 'x')).toBeNull()
    expect(() => toDecimal('abc', 'price')).toThrow(VenueError)
    expect(() => toDecimal(Number.NaN, 'price')).toThrow(/price/)
  })

  it('withStringNumbers makes ccxt parse numbers as strings, and restores it afterwards', () => {
    const ex = new ccxt.binance()
    const parsed = withStringNumbers(ex, () => ex.parseNumber('98765432109.87654321'))
    expect(parsed).toBe('98765432109.87654321')
    expect(ex.parseNumber('98765432109.87654321')).toBe(98765432109.87654)
    expect(() => withStringNumbers(ex, () => {
      throw new Error('boom')
    })).toThrow('boom')
    expect(ex.number).toBe(Number)
  })

  it('fetchBalances re-parses Binance balances with string numbers: no float rounding, exact sums', async () => {
    const venue = binanceVenue()
    fakeHttp(venue, {
      '/api/v3/account': {
        canTrade: true,
        balances: [
          { asset: 'MEME', free: '98765432109.87654321', locked: '0.10000000' },
          { asset: 'BTC', free: '0.00000001', locked: '0.00000000' },
          { asset: 'ETH', free: '0.00000000', locked: '0.00000000' },
        ],
      },
    })
    const balances = await venue.fetchBalances()
    expect(balances).toEqual([
      { asset: 'BTC', free: '0.00000001', used: '0', total: '0.00000001' },
      { asset: 'MEME', free: '98765432109.87654321', used: '0.1', total: '98765432109.97654321' },
    ])
  })

  it('testConnection counts non-zero balances, reads canTrade and measures latency', async () => {
    const venue = binanceVenue()
    fakeHttp(venue, {
      '/api/v3/account': { canTrade: false, balances: [{ asset: 'USDT', free: '10', locked: '0' }] },
      '/sapi/v1/account/apiRestrictions': { enableSpotAndMarginTrading: true },
    })
    const result = await venue.testConnection()
    expect(result).toMatchObject({ ok: true, kind: null, canTrade: false, balanceCount: 1 })
    expect(result.latencyMs).toBeGreaterThanOrEqual(0)
  })
})

describe('testConnection: whose key it is', () => {
  it('reads the exchange account from the balance reply', async () => {
    const venue = binanceVenue()
    fakeHttp(venue, { '/api/v3/account': { uid: 354937868, balances: [] }, '/sapi/v1/account/apiRestrictions': { enableSpotAndMarginTrading: true } })
    expect(await venue.testConnection()).toMatchObject({ ok: true, exchangeAccount: '354937868' })
  })

  it("says why the exchange account is unknown when the exchange refuses to tell it (a key change is refused with that reason)", async () => {
    const venue = binanceVenue()
    // The balance reply names no uid (another account type) and the request asking for it is refused.
    fakeHttp(venue, { '/api/v3/account': { balances: [] }, '/sapi/v1/account/apiRestrictions': { enableSpotAndMarginTrading: true } })
    const ex = (venue as unknown as { ex: Record<string, unknown> }).ex
    const balanceRequest = ex.privateGetAccount as (...args: unknown[]) => Promise<unknown>
    let asked = 0
    ex.privateGetAccount = async (...args: unknown[]) => {
      if (asked++ === 0) return balanceRequest.apply(ex, args)
      throw new ccxt.PermissionDenied('binance {"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}')
    }
    const result = await venue.testConnection()
    expect(result).toMatchObject({ ok: true, exchangeAccount: null })
    expect(result.exchangeAccountUnknown).toContain('-2015')
    expect(result.exchangeAccountUnknown).not.toContain(key('a'))
  })
})

describe('bad replies', () => {
  it('a balance reply that is not the expected shape → bad-reply, with a clear message', async () => {
    const venue = binanceVenue()
    fakeHttp(venue, { '/api/v3/account': { balances: [{ asset: 'BTC', free: 'lots', locked: '0' }] } })
    const error = await venue.fetchBalances().then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(VenueError)
    expect((error as VenueError).kind).toBe('bad-reply')
    expect((error as VenueError).message).toMatch(/^Binance sent a reply that is not what was expected/)
  })

  it('testConnection turns a malformed reply into a bad-reply result instead of throwing', async () => {
    const venue = binanceVenue()
    fakeHttp(venue, { '/api/v3/account': { balances: 'none' } })
    const result = await venue.testConnection()
    expect(result.ok).toBe(false)
    expect(result.kind).toBe('bad-reply')
    expect(result.message).toBe('Binance sent an unexpected reply for balances: expected an account with a "balances" list')
  })

  it('an order book without bid/ask lists → bad-reply', async () => {
    const venue = binanceVenue()
    const ex = (venue as unknown as { ex: Record<string, unknown> }).ex
    ex.fetchOrderBook = async () => ({ bids: 'x' })
    await expect(venue.fetchOrderBook('BTC/USDT')).rejects.toMatchObject({ kind: 'bad-reply' })
  })
})

describe('orders are sent exactly or not at all', () => {
  it('refuses an amount a float cannot carry exactly', async () => {
    const venue = binanceVenue()
    const ex = (venue as unknown as { ex: Record<string, unknown> }).ex
    let sent = false
    ex.createOrder = async () => {
      sent = true
      return {}
    }
    await expect(
      venue.placeOrder({
        clientOrderId: 'c1',
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        amount: '0.12345678901234567891',
        price: '100',
        timeInForce: 'GTC',
        postOnly: false,
      }),
    ).rejects.toMatchObject({ kind: 'invalid-order' })
    expect(sent).toBe(false)
  })
})

describe('orders and fills keep the exchange decimals', () => {
  function withMarket(venue: CcxtVenue, replies: Record<string, unknown>) {
    fakeHttp(venue, replies)
    const ex = (venue as unknown as { ex: { setMarkets(m: unknown[]): void } }).ex
    ex.setMarkets([
      {
        id: 'MEMEUSDT',
        symbol: 'MEME/USDT',
        base: 'MEME',
        quote: 'USDT',
        baseId: 'MEME',
        quoteId: 'USDT',
        spot: true,
        type: 'spot',
        active: true,
        precision: { price: 0.00000001, amount: 0.00000001 },
        limits: {},
      },
    ])
  }

  it('fetchOpenOrders: amounts, prices and costs exactly as Binance sent them', async () => {
    const venue = binanceVenue()
    withMarket(venue, {
      '/api/v3/openOrders': [
        {
          symbol: 'MEMEUSDT',
          orderId: 42,
          clientOrderId: 'my-1',
          price: '0.00000123',
          origQty: '98765432109.87654321',
          executedQty: '1234567890.12345678',
          cummulativeQuoteQty: '1518.51851852',
          status: 'PARTIALLY_FILLED',
          timeInForce: 'GTC',
          type: 'LIMIT',
          side: 'BUY',
          time: 1700000000000,
          updateTime: 1700000001000,
          workingTime: 1700000000000,
        },
      ],
    })
    const [order] = await venue.fetchOpenOrders('MEME/USDT')
    expect(order).toEqual({
      venueOrderId: '42',
      clientOrderId: 'my-1',
      symbol: 'MEME/USDT',
      side: 'buy',
      type: 'limit',
      price: '0.00000123',
      amount: '98765432109.87654321',
      filled: '1234567890.12345678',
      cost: '1518.51851852',
      status: 'open',
      timeInForce: 'GTC',
      postOnly: false,
      createdAt: 1700000000000,
      updatedAt: 1700000001000,
    })
  })

  it('fetchMyFills: price, amount and fee exactly as Binance sent them', async () => {
    const venue = binanceVenue()
    withMarket(venue, {
      '/api/v3/myTrades': [
        {
          symbol: 'MEMEUSDT',
          id: 7,
          orderId: 42,
          price: '0.00000123',
          qty: '98765432109.87654321',
          quoteQty: '121481.48149150',
          commission: '98765432.10987654',
          commissionAsset: 'MEME',
          time: 1700000000500,
          isBuyer: true,
          isMaker: true,
          isBestMatch: true,
        },
      ],
    })
    const [fill] = await venue.fetchMyFills('MEME/USDT')
    expect(fill).toEqual({
      tradeId: '7',
      venueOrderId: '42',
      clientOrderId: null,
      symbol: 'MEME/USDT',
      side: 'buy',
      price: '0.00000123',
      amount: '98765432109.87654321',
      fee: { asset: 'MEME', amount: '98765432.10987654' },
      liquidity: 'maker',
      timestamp: 1700000000500,
    })
  })
  it('a user-data stream fill keeps its order id and side when the exact re-parse has none (Binance executionReport)', () => {
    const venue = binanceVenue()
    withMarket(venue, {})
    const ex = (venue as unknown as { ex: { parseWsTrade(m: unknown): unknown } }).ex
    // A limit order filled at once at its own price and amount: the case where the REST parser's re-read
    // agrees on every number but has no order id (it reads orderId, the stream sends i).
    const report = {
      e: 'executionReport', E: 1700000000600, s: 'MEMEUSDT', c: 'co1abc', S: 'BUY', o: 'LIMIT', f: 'GTC',
      q: '1000.00000000', p: '0.00000123', P: '0.00000000', F: '0.00000000', g: -1, C: '', x: 'TRADE', X: 'FILLED',
      r: 'NONE', i: 4293153, l: '1000.00000000', z: '1000.00000000', L: '0.00000123', n: '0.001', N: 'USDT',
      T: 1700000000500, t: 42, I: 8641984, w: false, m: false, M: false, O: 1700000000400, Z: '0.00123', Y: '0.00123', Q: '0',
    }
    const fill = (venue as unknown as { fill(p: unknown): unknown }).fill(ex.parseWsTrade(report))
    expect(fill).toMatchObject({ tradeId: '42', venueOrderId: '4293153', symbol: 'MEME/USDT', side: 'buy', price: '0.00000123', amount: '1000' })
    // A taker sell: the REST parser would read the side from m (maker) and say buy.
    const sell = (venue as unknown as { fill(p: unknown): unknown }).fill(ex.parseWsTrade({ ...report, S: 'SELL', t: 43, m: false }))
    expect(sell).toMatchObject({ tradeId: '43', side: 'sell', liquidity: 'taker' })
  })
})

describe('Binance Convert and the reward record, read raw through ccxt', () => {
  const page = { since: 1_700_000_000_000, until: 1_700_000_000_000 + 29 * 86_400_000, limit: 1000 }
  const convertRow = (over: Record<string, unknown> = {}) => ({
    quoteId: 'f3b91c525b2644c7bc1e1cd31b6e1aa6',
    orderId: Number('940708407462087195'), // as JSON.parse reads it: rounded
    orderStatus: 'SUCCESS',
    fromAsset: 'USDT',
    fromAmount: '20',
    toAsset: 'BNB',
    toAmount: '0.0615403612345678901234',
    ratio: '0.00307702',
    inverseRatio: '324.99',
    createTime: 1_700_000_100_000,
    ...over,
  })

  it('keeps both amounts as Binance wrote them, knows a conversion by its quoteId, maps the order status', async () => {
    const venue = binanceVenue()
    const http = fakeHttp(venue, {
      '/sapi/v1/convert/tradeFlow': {
        list: [convertRow({ quoteId: 'later', createTime: 1_700_000_200_000, orderStatus: 'PROCESS' }), convertRow(), convertRow({ quoteId: 'x', orderStatus: 'FAIL' })],
        moreData: false,
      },
    })
    const rows = await venue.fetchConversions(page)
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      ['f3b91c525b2644c7bc1e1cd31b6e1aa6', 'ok'],
      ['x', 'failed'],
      ['later', 'pending'],
    ])
    expect(rows[0]).toMatchObject({ spent: { asset: 'USDT', amount: '20' }, received: { asset: 'BNB', amount: '0.0615403612345678901234' }, timestamp: 1_700_000_100_000 })
    const asked = new URL(http.urls[0]!).searchParams
    expect([asked.get('startTime'), asked.get('endTime'), asked.get('limit')]).toEqual([String(page.since), String(page.until), '1000'])
  })

  it('a window with nothing in it may leave the list out; a malformed row names itself', async () => {
    const empty = binanceVenue()
    fakeHttp(empty, { '/sapi/v1/convert/tradeFlow': { moreData: false } })
    expect(await empty.fetchConversions(page)).toEqual([])

    const cases: [Record<string, unknown>, RegExp][] = [
      [{ orderStatus: 'WEIRD' }, /row 2 of 2: unknown orderStatus "WEIRD"/],
      [{ toAsset: 'USDT' }, /row 2 of 2: converts USDT into itself/],
      [{ fromAmount: '0' }, /row 2 of 2: fromAmount 0 is not positive/],
      [{ quoteId: undefined, orderId: Number('940708407462087195') }, /row 2 of 2: no quoteId or orderId/],
      [{ createTime: 'soon' }, /row 2 of 2: createTime "soon" is not a time/],
    ]
    for (const [over, message] of cases) {
      const venue = binanceVenue()
      fakeHttp(venue, { '/sapi/v1/convert/tradeFlow': { list: [convertRow(), convertRow(over)] } })
      const err = await venue.fetchConversions(page).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(VenueError)
      expect((err as VenueError).kind).toBe('bad-reply')
      expect((err as VenueError).message).toMatch(/Binance sent a malformed reply for conversions/)
      expect((err as VenueError).message).toMatch(message)
    }
  })

  it('reads the asset dividend record: credits and debits, the transaction id as the group, the venue’s words', async () => {
    const venue = binanceVenue()
    fakeHttp(venue, {
      '/sapi/v1/asset/assetDividend': {
        rows: [
          { id: 1637366104, amount: '10.00000000', asset: 'BHFT', divTime: 1563189166000, enInfo: 'BHFT distribution', tranId: 2968885920, direction: 1 },
          { id: 1637366103, amount: '3.5', asset: 'OLD', divTime: 1563189166000, enInfo: 'OLD swap', tranId: 2968885920, direction: -1 },
          { id: 1631750237, amount: '0.00000001', asset: 'BNB', divTime: 1563189165000, enInfo: 'BNB Vault', tranId: 2968885921 },
        ],
        total: 3,
      },
    })
    expect(await venue.fetchRewards({ ...page, limit: 500 })).toEqual([
      { id: '1631750237', timestamp: 1563189165000, asset: 'BNB', amount: '0.00000001', direction: 'in', what: 'BNB Vault', group: '2968885921' },
      { id: '1637366103', timestamp: 1563189166000, asset: 'OLD', amount: '3.5', direction: 'out', what: 'OLD swap', group: '2968885920' },
      { id: '1637366104', timestamp: 1563189166000, asset: 'BHFT', amount: '10', direction: 'in', what: 'BHFT distribution', group: '2968885920' },
    ])

    const bad = binanceVenue()
    fakeHttp(bad, { '/sapi/v1/asset/assetDividend': { rows: [{ id: 1, amount: '1', asset: 'BNB', divTime: 1563189165000, enInfo: '', tranId: 2, direction: 0 }], total: 1 } })
    await expect(bad.fetchRewards({ ...page, limit: 500 })).rejects.toThrow(/rewards: row 1 of 1: direction 0 is neither 1 nor -1/)
  })

  it('reads the dust log as one conversion per coin swept into BNB, the BNB after the charge (Binance’s own example)', async () => {
    const venue = binanceVenue()
    fakeHttp(venue, {
      '/sapi/v1/asset/dribblet': {
        total: 1,
        userAssetDribblets: [
          {
            operateTime: 1615985535000,
            totalTransferedAmount: '0.00132256',
            totalServiceChargeAmount: '0.00002699',
            transId: 45178372831,
            userAssetDribbletDetails: [
              { transId: 4359321, serviceChargeAmount: '0.000009', amount: '0.0009', operateTime: 1615985535000, transferedAmount: '0.000441', fromAsset: 'USDT' },
              { transId: 4359321, serviceChargeAmount: '0.00001799', amount: '0.0009', operateTime: 1615985535000, transferedAmount: '0.00088156', fromAsset: 'ETH' },
            ],
          },
        ],
      },
    })
    expect(await venue.fetchDustConversions({ ...page, limit: 100 })).toEqual([
      { id: '45178372831:ETH', timestamp: 1615985535000, spent: { asset: 'ETH', amount: '0.0009' }, received: { asset: 'BNB', amount: '0.00088156' }, status: 'ok' },
      { id: '45178372831:USDT', timestamp: 1615985535000, spent: { asset: 'USDT', amount: '0.0009' }, received: { asset: 'BNB', amount: '0.000441' }, status: 'ok' },
    ])
    const bad = binanceVenue()
    fakeHttp(bad, { '/sapi/v1/asset/dribblet': { total: 1, userAssetDribblets: [{ operateTime: 1615985535000, transId: 1, userAssetDribbletDetails: [] }] } })
    await expect(bad.fetchDustConversions({ ...page, limit: 100 })).rejects.toThrow(/dust conversions: row 1 of 1: no userAssetDribbletDetails/)
  })

  it('reads Buy Crypto orders: the fiat paid (fee included) for the crypto obtained; statuses mapped, odd ones held with their word', async () => {
    const venue = binanceVenue()
    const example = {
      orderNo: '353fca443f06466db0c4dc89f94f027a',
      sourceAmount: '20.0',
      fiatCurrency: 'EUR',
      obtainAmount: '4.462',
      cryptoCurrency: 'LUNA',
      totalFee: '0.2',
      price: '4.437472',
      status: 'Failed',
      paymentMethod: 'Credit Card',
      createTime: 1624529919000,
      updateTime: 1624529919000,
    }
    const http = fakeHttp(venue, {
      '/sapi/v1/fiat/payments': {
        code: '000000',
        message: 'success',
        data: [example, { ...example, orderNo: 'b', status: 'Completed', createTime: 1624529920000 }, { ...example, orderNo: 'c', status: 'Refund Failed', createTime: 1624529921000 }],
        total: 3,
        success: true,
      },
    })
    const rows = await venue.fetchFiatPurchases({ ...page, limit: 500 })
    expect(rows.map((r) => [r.id, r.status, r.note])).toEqual([
      ['353fca443f06466db0c4dc89f94f027a', 'failed', 'Failed'],
      ['b', 'ok', 'Completed'],
      ['c', 'pending', 'Refund Failed'],
    ])
    expect(rows[1]).toMatchObject({ spent: { asset: 'EUR', amount: '20' }, received: { asset: 'LUNA', amount: '4.462' } })
    const asked = new URL(http.urls[0]!).searchParams
    expect([asked.get('transactionType'), asked.get('beginTime'), asked.get('rows'), asked.get('page')]).toEqual(['0', String(page.since), '500', '1'])
  })

  it('only Binance offers them: other exchanges page neither and refuse to be asked', async () => {
    const okx = new CcxtVenue({ accountId: 'o', exchange: 'okx', sandbox: false, apiBaseUrl: null, credentials: { apiKey: 'k', secret: 's', password: 'p' } })
    expect(okx.historyPaging()).toMatchObject({ conversions: null, dust: null, purchases: null, rewards: null })
    await expect(okx.fetchConversions(page)).rejects.toThrow(/OKX's conversions are not read/)
    expect(binanceVenue().historyPaging()).toMatchObject({ conversions: { windowMs: 30 * 86_400_000, limit: 1000 }, rewards: { windowMs: 180 * 86_400_000, limit: 500 } })
  })
})

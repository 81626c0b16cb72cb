import type { ConditionalView, FillView, OrderView } from '../../src-main/api/schemas/trading'
import type { AlertView } from '../../src-main/api/schemas/alerts'

// Order, fill and conditional-order views as the engine sends them, for renderer tests: a BTC/USDT order on the
// simulated exchange, changed by `patch`.

export const order = (id: string, patch: Partial<OrderView> = {}): OrderView => ({
  clientOrderId: id,
  venueOrderId: null,
  venueId: 'sim',
  venueLabel: 'Simulated exchange',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  timeInForce: 'GTC',
  postOnly: false,
  amount: '0.01',
  price: '90000',
  filled: '0',
  avgPrice: null,
  status: 'open',
  origin: { kind: 'manual', ref: null },
  error: null,
  attempts: 1,
  createdAt: 1000,
  updatedAt: 1000,
  ...patch,
})

export const cond = (id: string, patch: Partial<ConditionalView> = {}): ConditionalView => ({
  id,
  groupId: null,
  groupType: 'single',
  venueId: 'sim',
  venueLabel: 'Simulated exchange',
  symbol: 'BTC/USDT',
  kind: 'stop-market',
  side: 'sell',
  amount: '0.01',
  trigger: 'last',
  placement: 'app',
  triggerPrice: '90000',
  limitPrice: null,
  trailing: null,
  status: 'armed',
  reason: null,
  currentPrice: '95000',
  distancePct: '-5.26',
  clientOrderId: null,
  createdAt: 1000,
  updatedAt: 1000,
  ...patch,
})

export const fill = (tradeId: string, timestamp: number, venueId = 'sim', patch: Partial<FillView> = {}): FillView => ({
  venueId,
  tradeId,
  clientOrderId: 'a',
  venueOrderId: 'v1',
  symbol: 'BTC/USDT',
  side: 'buy',
  price: '95000',
  amount: '0.001',
  feeAsset: 'BTC',
  feeAmount: '0.000001',
  liquidity: 'taker',
  timestamp,
  ...patch,
})

/** An active price alert on the simulated exchange's BTC/USDT, 'above 95500' on the last trade. */
export function alertView(id: string, over: Partial<AlertView> = {}): AlertView {
  return {
    id,
    venueId: 'sim',
    venueLabel: 'Simulated exchange',
    symbol: 'BTC/USDT',
    condition: 'above',
    price: '95500',
    source: 'last',
    note: null,
    desktop: true,
    webhookUrl: null,
    email: false,
    status: 'active',
    reason: null,
    repeat: false,
    armed: true,
    fireCount: 0,
    current: null,
    waiting: null,
    createdAt: 1,
    updatedAt: 1,
    ...over,
  }
}

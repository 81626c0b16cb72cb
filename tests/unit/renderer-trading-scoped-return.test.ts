import { expect, it } from 'vitest'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import type { FillView, OrderView } from '../../src-main/api/schemas/trading'

// Fills, Order history, My orders and the chart's fill arrows keep their lists between visits to the
// Orders page; while no page follows the streams they are not kept up to date, so coming back lists them
// again (a fill recorded meanwhile shows, as it does in the shared lists).

const fill = (n: number): FillView => ({
  venueId: 'sim',
  tradeId: `t${n}`,
  clientOrderId: null,
  venueOrderId: 'v',
  symbol: 'BTC/USDT',
  side: 'buy',
  price: '100',
  amount: '1',
  feeAmount: '0',
  feeAsset: 'USDT',
  liquidity: 'maker',
  timestamp: 1000 + n,
})
const order = (n: number) => ({ clientOrderId: `o${n}`, venueId: 'sim', symbol: 'BTC/USDT', status: 'filled', createdAt: n, updatedAt: 1000 + n }) as unknown as OrderView

interface Lists {
  fills: FillView[]
  history: OrderView[]
}

it('a fill recorded while away from the Orders page shows in its panels on return', async () => {
  stubDom('other')
  const engine = { fills: [fill(1)], history: [order(1)] }
  const { api } = await loadRenderer<{ api: Record<string, unknown> }>('api/index.ts')
  api.invoke = async (name: string, input: { scope?: string; limit: number }) => {
    if (name === 'fills.list') return [...engine.fills].reverse().slice(0, input.limit)
    if (name === 'orders.list') return input.scope === 'history' ? [...engine.history].reverse() : []
    if (name === 'conditional.list') return []
    if (name === 'risk.get') return null
    throw new Error(name)
  }
  api.subscribe = () => () => undefined
  const orders = await loadRenderer<{ startOrdersSync(): () => void }>('features/trading/ordersStore.ts')
  const scoped = await loadRenderer<{ useScoped: { getState(): { lists: Record<string, Lists>; load(scope: { venueId: string }): Promise<void> } } }>(
    'features/trading/scopedStore.ts',
  )
  const lists = () => scoped.useScoped.getState().lists['|']!
  let stop = orders.startOrdersSync()
  await scoped.useScoped.getState().load({ venueId: '' })
  stop()
  engine.fills.push(fill(2))
  engine.history.push(order(2))
  stop = orders.startOrdersSync()
  await expect.poll(() => lists().fills.map((f) => f.tradeId)).toEqual(['t2', 't1'])
  expect(lists().history.map((o) => o.clientOrderId)).toEqual(['o2', 'o1'])
  stop()
})

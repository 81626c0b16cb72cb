import { expect, it } from 'vitest'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import { riskFormEventOf, riskFormOf, riskFormReducer, type RiskFormState } from '../../src-renderer/features/trading/riskForm'
import type { RiskSet, RiskView } from '../../src-main/api/schemas/trading'

// Saving the risk limits in a window that has not yet heard of another window's save: the engine refuses
// it (nothing saved), this window loads the limits again, shows them with the user's edit kept and says
// so; saving again applies the edit over them, so neither window's change is lost.

type ApiErrorClass = new (code: string, message: string) => Error
interface OrdersStore {
  useOrders: { getState(): { risk: RiskView | null; riskLoaded: boolean; riskChanged(r: RiskView): void; load(): Promise<void> } }
}

const noLimits = { maxOrderNotional: null, maxPositionNotional: null, priceBandPct: null, dailyLossLimit: null }

it('a save refused as changed elsewhere reloads the limits, keeps the edit, tells the user; saving again keeps both changes', async () => {
  stubDom('other')
  const { api, ApiError } = await loadRenderer<{ api: Record<string, unknown>; ApiError: ApiErrorClass }>('api/index.ts')
  // The engine's limits: loaded here at version 1; another window then set a price band (version 2).
  let stored: RiskView = { ...noLimits, halted: false, haltedAt: null, version: 1 }
  const loaded = stored
  stored = { ...stored, priceBandPct: '5', version: 2 }
  const sets: RiskSet[] = []
  api.invoke = async (name: string, input: RiskSet) => {
    if (name === 'risk.get') return stored
    if (name === 'risk.set') {
      sets.push(input)
      if (input.expectedVersion !== stored.version) throw new ApiError('CONFLICT', 'The risk limits were changed in another window and nothing was saved.')
      const { expectedVersion, ...limits } = input
      stored = { ...stored, ...limits, version: expectedVersion + 1 }
      return stored
    }
    throw new Error(name)
  }
  const { useOrders } = await loadRenderer<OrdersStore>('features/trading/ordersStore.ts')
  const { saveRiskForm, CHANGED_ELSEWHERE } = await loadRenderer<{ saveRiskForm(f: RiskFormState): Promise<string | null>; CHANGED_ELSEWHERE: string }>(
    'features/trading/riskSave.ts',
  )
  useOrders.getState().riskChanged(loaded)
  let form = riskFormReducer(riskFormOf(loaded), { type: 'edit', limit: 'maxOrderNotional', value: '1000' })

  expect(await saveRiskForm(form)).toBe(CHANGED_ELSEWHERE)
  expect(stored).toMatchObject({ maxOrderNotional: null, priceBandPct: '5' })
  expect(useOrders.getState().risk).toEqual(stored)
  // The form follows the store (RiskPanel passes the store's limits on): the other window's band shows, the edit stays.
  form = riskFormReducer(form, { type: 'saved', risk: useOrders.getState().risk! })
  expect(form.draft).toMatchObject({ maxOrderNotional: '1000', priceBandPct: '5' })
  expect(form.changedElsewhere).toMatchObject({ priceBandPct: '5' })

  expect(await saveRiskForm(form)).toBeNull()
  expect(stored).toMatchObject({ maxOrderNotional: '1000', priceBandPct: '5', version: 3 })
  expect(sets.map((s) => s.expectedVersion)).toEqual([1, 2])
  expect(useOrders.getState().risk).toEqual(stored)

  // A late view of older limits (version 2) does not take the store back.
  useOrders.getState().riskChanged({ ...stored, maxOrderNotional: null, version: 2 })
  expect(useOrders.getState().risk).toEqual(stored)
})

it('after a backup restored older limits, the reconnected window shows them and saves over them; a refused save loads them too', async () => {
  stubDom('other')
  const { api, ApiError } = await loadRenderer<{ api: Record<string, unknown>; ApiError: ApiErrorClass }>('api/index.ts')
  // This window saw version 3 (max order 2000); the engine was restored to version 1 (max order 500).
  const seen: RiskView = { ...noLimits, maxOrderNotional: '2000', halted: false, haltedAt: null, version: 3 }
  let stored: RiskView = { ...noLimits, maxOrderNotional: '500', halted: false, haltedAt: null, version: 1 }
  api.invoke = async (name: string, input: RiskSet) => {
    if (name === 'risk.get') return stored
    if (name === 'orders.list' || name === 'fills.list' || name === 'conditional.list') return []
    if (name === 'risk.set') {
      if (input.expectedVersion !== stored.version) throw new ApiError('CONFLICT', 'The risk limits were changed in another window and nothing was saved.')
      const { expectedVersion, ...limits } = input
      stored = { ...stored, ...limits, version: expectedVersion + 1 }
      return stored
    }
    throw new Error(name)
  }
  const { useOrders } = await loadRenderer<OrdersStore>('features/trading/ordersStore.ts')
  const { saveRiskForm, CHANGED_ELSEWHERE } = await loadRenderer<{ saveRiskForm(f: RiskFormState): Promise<string | null>; CHANGED_ELSEWHERE: string }>(
    'features/trading/riskSave.ts',
  )
  const follow = (f: RiskFormState) => riskFormReducer(f, riskFormEventOf(useOrders.getState().risk!, useOrders.getState().riskLoaded))
  useOrders.getState().riskChanged(seen)
  let form = riskFormReducer(riskFormOf(seen), { type: 'edit', limit: 'priceBandPct', value: '5' })

  // A save before the reconnect's load: refused, and the limits loaded then are shown.
  expect(await saveRiskForm(form)).toBe(CHANGED_ELSEWHERE)
  expect(useOrders.getState().risk).toEqual(stored)
  form = follow(form)
  expect(form.draft).toMatchObject({ maxOrderNotional: '500', priceBandPct: '5' })
  expect(await saveRiskForm(form)).toBeNull()
  expect(stored).toMatchObject({ maxOrderNotional: '500', priceBandPct: '5', version: 2 })
  form = follow(form)
  expect(form).toMatchObject({ version: 2, changedElsewhere: null })

  // Restored again while this window shows version 2: the reconnect's load shows version 1's limits.
  stored = { ...noLimits, maxOrderNotional: '500', halted: false, haltedAt: null, version: 1 }
  await useOrders.getState().load()
  form = follow(form)
  expect(form.draft).toMatchObject({ maxOrderNotional: '500', priceBandPct: '' })
  form = riskFormReducer(form, { type: 'edit', limit: 'dailyLossLimit', value: '300' })
  expect(await saveRiskForm(form)).toBeNull()
  expect(stored).toMatchObject({ maxOrderNotional: '500', dailyLossLimit: '300', version: 2 })
})

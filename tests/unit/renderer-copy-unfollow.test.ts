import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import type { FollowView, UnfollowResult } from '../../src-main/api/schemas/copy'

// Delete on a relationship asks first; the dialog offers to also sell what the copies hold (unticked: the
// positions stay, as before), and says per market what was sent or refused.

interface Request {
  title: string
  option?: { label: string; testId: string }
  run(option: boolean): Promise<void>
}
interface Toast {
  kind: string
  title: string
  detail?: string
}

let calls: { name: string; input: unknown }[] = []
let reply: UnfollowResult
let actions: { unfollow(id: string): void }
let confirm: { useConfirm: { getState(): { request: Request | null } } }
let copy: { useCopy: { setState(s: { follows: FollowView[] }): void } }
let toasts: { useToasts: { getState(): { toasts: Toast[] } } }

const view = { id: 'f1', leaderLabel: 'Momentum', followerLabel: 'Paper', settings: { leaderId: 'sim:trader:momentum' }, status: 'active', endedAt: null, createdAt: 1, updatedAt: 1 } as unknown as FollowView

beforeAll(async () => {
  stubDom('other')
  // The table the actions focus afterwards is "drawn" (else focusing retries on later frames).
  ;(Reflect.get(globalThis, 'document') as { getElementById(): unknown }).getElementById = () => ({ focus() {} })
  const { api } = await loadRenderer<{ api: { invoke: unknown } }>('api/index.ts')
  api.invoke = async (name: string, input: unknown) => {
    calls.push({ name, input })
    if (name === 'copy.unfollow') return reply
    if (name === 'copy.follows') return [{ ...view, status: 'stopped', endedAt: 2 }]
    throw new Error(`unexpected ${name}`)
  }
  confirm = await loadRenderer('features/trading/ConfirmDialog.tsx')
  copy = await loadRenderer('features/copy/copyStore.ts')
  toasts = await loadRenderer('features/toasts/toastStore.ts')
  actions = await loadRenderer('features/copy/copyActions.ts')
})
afterAll(() => void vi.unstubAllGlobals())

const ask = (): Request => {
  copy.useCopy.setState({ follows: [view] })
  actions.unfollow('f1')
  const request = confirm.useConfirm.getState().request
  expect(request?.title).toBe('Unfollow Momentum?')
  return request!
}

describe('the unfollow dialog', () => {
  it('offers to close the positions; left unticked, unfollow asks for none', async () => {
    calls = []
    reply = { ...view, status: 'stopped', endedAt: 2, closes: [] }
    const request = ask()
    expect(request.option?.label).toMatch(/sell what the copies hold/)
    await request.run(false)
    expect(calls[0]).toEqual({ name: 'copy.unfollow', input: { id: 'f1', closePositions: false } })
  })

  it('ticked: asks the engine to close them and says per market what was sent or refused', async () => {
    calls = []
    reply = {
      ...view,
      status: 'stopped',
      endedAt: 2,
      closes: [
        { followerSymbol: 'BTC/USDT', held: '0.09995', amount: '0.0999', outcome: 'sent', clientOrderId: 'cpx', orderStatus: 'filled', message: 'market sell of 0.0999 sent (filled, 0.0999 filled)' },
        { followerSymbol: 'ETH/USDT', held: '2', amount: '2', outcome: 'refused', clientOrderId: 'cpy', orderStatus: null, message: 'sell 2 refused: Order value 7000.00 USDT is above the max order notional 1000 USDT' },
      ],
    }
    await ask().run(true)
    expect(calls[0]).toEqual({ name: 'copy.unfollow', input: { id: 'f1', closePositions: true } })
    const last = toasts.useToasts.getState().toasts.at(-1)!
    expect(last).toMatchObject({ kind: 'error', title: 'Unfollowed Momentum; 1 of 2 sells refused' })
    expect(last.detail).toContain('BTC/USDT: market sell of 0.0999 sent')
    expect(last.detail).toContain('ETH/USDT: sell 2 refused: Order value 7000.00 USDT is above the max order notional')
  })
})

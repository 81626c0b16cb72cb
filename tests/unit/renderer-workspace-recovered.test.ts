import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import type { WorkspaceSaved } from '../../src-main/api/contract'
import { defaultLayout } from '../../src-main/workspace/defaults'

// When the stored layout no longer validated, the Trade page says what was left out and where the
// stored one is kept, until the user dismisses it.

type Recovered = NonNullable<WorkspaceSaved['recovered']>
interface Store {
  loadWorkspace(): Promise<void>
  useWorkspace: { getState(): { status: string; recovered: Recovered | null } }
  dismissRecovered(): void
}
interface Notice {
  recoveredNotice(r: Recovered): { title: string; lines: string[]; kept: string }
}

let reply: WorkspaceSaved
let store: Store
let notice: Notice

beforeAll(async () => {
  stubDom('other')
  const { api } = await loadRenderer<{ api: { invoke: unknown; subscribe: unknown } }>('api/index.ts')
  api.invoke = async () => reply
  api.subscribe = () => () => undefined
  store = await loadRenderer<Store>('features/workspace/workspaceStore.ts')
  notice = await loadRenderer<Notice>('features/workspace/recovered.ts')
})
afterAll(() => void vi.unstubAllGlobals())

describe('a recovered workspace layout', () => {
  it('is kept in the store when loaded, until dismissed', async () => {
    const recovered = { dropped: ['pinned market 40 (NEW COIN/USDT): symbol must look like BASE/QUOTE'], keptAs: 'default.backup-7' }
    reply = { name: 'default', layout: defaultLayout(), savedAt: 7, recovered }
    await store.loadWorkspace()
    expect(store.useWorkspace.getState()).toMatchObject({ status: 'ready', recovered })
    store.dismissRecovered()
    expect(store.useWorkspace.getState().recovered).toBeNull()
  })

  it('says what was left out (a long list cut short) and where the stored layout is kept', () => {
    const dropped = Array.from({ length: 9 }, (_, i) => `pinned market ${i + 1} (X${i}): symbol must look like BASE/QUOTE`)
    const n = notice.recoveredNotice({ dropped, keptAs: 'default.backup-7' })
    expect(n.title).toBe('Part of your saved Trade layout could not be read and was left out')
    expect(n.lines).toEqual([...dropped.slice(0, 5), '…and 4 more'])
    expect(n.kept).toBe('The layout as it was stored is kept as “default.backup-7” when this one is next saved.')
  })

  it('says so when none of it could be read', () => {
    const n = notice.recoveredNotice({ dropped: ['the whole layout: not JSON'], keptAs: 'default.backup-7' })
    expect(n.title).toBe('Your saved Trade layout could not be read; the first layout is shown')
    expect(n.lines).toEqual(['the whole layout: not JSON'])
  })
})

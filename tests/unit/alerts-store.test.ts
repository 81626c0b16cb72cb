import { afterEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { AlertStore } from '../../src-main/alerts/store'
import { alertRules } from '../../src-main/alerts/tables'
import { migrationsDir, tempDir } from '../support/temp-core'

// The notification centre keeps the newest entries only: the oldest go in the firing's own transaction.

let store: Store | null = null
afterEach(() => store?.close())

describe('alert store', () => {
  it('keeps the newest entries of the notification centre and drops the oldest as alerts fire', () => {
    store = openStore(tempDir('co-alert-store-'), migrationsDir)
    const alerts = new AlertStore(store.db, 3)
    const now = 1_700_000_000_000
    store.db
      .insert(alertRules)
      .values({ id: 'r1', venueId: 'sim', symbol: 'BTC/USDT', condition: 'above', price: '1', source: 'last', note: null, desktop: false, webhookUrl: null, email: false, status: 'active', repeat: true, armed: true, fireCount: 0, createdAt: now, updatedAt: now })
      .run()
    const ids: number[] = []
    for (let i = 0; i < 5; i++) {
      ids.push(alerts.fire('r1', true, { ruleId: 'r1', deliveryKey: `k${i}`, kind: 'price', at: now + i, venueId: 'sim', symbol: 'BTC/USDT', price: String(100 + i), title: `t${i}`, body: 'b', webhook: null, webhookDetail: null, email: null, emailDetail: null }))
    }
    expect(alerts.events(10).map((e) => e.price)).toEqual(['104', '103', '102'])
    expect(alerts.get('r1')?.fireCount).toBe(5)
  })
})

import { describe, expect, it } from 'vitest'
import { applyAlert, applyEvent, conditionFor, distancePct, ENDED_CAP, tickerPrice, deliveryWords } from '../../src-renderer/features/alerts/alertsModel'
import { createInput, emptyDraft } from '../../src-renderer/features/alerts/alertForm'
import type { AlertEvent, AlertView } from '../../src-main/api/contract'
import { alertView } from '../support/order-views'

// The Alerts page's lists kept from the engine's streams, the condition guessed from the price, the
// figures shown beside an alert, and the command a draft becomes.

const view = (id: string, status: AlertView['status'], createdAt: number): AlertView => alertView(id, { price: '100', status, createdAt, updatedAt: createdAt })

const event = (id: number, webhook: AlertEvent['webhook'] = null, webhookDetail: string | null = null): AlertEvent => ({
  id,
  ruleId: `r${id}`,
  kind: 'price',
  at: id,
  venueId: 'sim',
  symbol: 'BTC/USDT',
  price: '100',
  title: 't',
  body: 'b',
  desktop: true,
  webhook,
  webhookDetail,
  email: null,
  emailDetail: null,
})

describe('alerts lists', () => {
  it('an alert moves from active (newest first) to ended when it fires or is canceled, and is never listed twice', () => {
    let lists = { active: [] as AlertView[], ended: [] as AlertView[] }
    lists = applyAlert(lists, view('a', 'active', 1))
    lists = applyAlert(lists, view('b', 'active', 2))
    expect(lists.active.map((a) => a.id)).toEqual(['b', 'a'])
    lists = applyAlert(lists, { ...view('a', 'active', 1), price: '105' })
    expect(lists.active.map((a) => [a.id, a.price])).toEqual([['b', '100'], ['a', '105']])
    lists = applyAlert(lists, view('a', 'fired', 1))
    expect(lists.active.map((a) => a.id)).toEqual(['b'])
    expect(lists.ended.map((a) => [a.id, a.status])).toEqual([['a', 'fired']])
    lists = applyAlert(lists, view('a', 'fired', 1))
    expect(lists.ended).toHaveLength(1)
  })

  it('keeps at most ENDED_CAP ended alerts', () => {
    let lists = { active: [] as AlertView[], ended: [] as AlertView[] }
    for (let i = 0; i < ENDED_CAP + 5; i++) lists = applyAlert(lists, view(`x${i}`, 'canceled', i))
    expect(lists.ended).toHaveLength(ENDED_CAP)
    expect(lists.ended[0]!.id).toBe(`x${ENDED_CAP + 4}`)
  })

  it('a fired alert is new once; its webhook outcome replaces the same entry', () => {
    let r = applyEvent([], event(1, 'pending'))
    expect(r.isNew).toBe(true)
    r = applyEvent(r.events, event(2))
    expect(r.events.map((e) => e.id)).toEqual([2, 1])
    r = applyEvent(r.events, event(1, 'delivered', 'HTTP 200'))
    expect(r.isNew).toBe(false)
    expect(r.events.map((e) => [e.id, e.webhook])).toEqual([[2, null], [1, 'delivered']])
  })
})

describe('alert figures', () => {
  it('guesses the condition from where the price is, exactly; none when equal or unknown', () => {
    expect(conditionFor('95000.01', '95000')).toBe('above')
    expect(conditionFor('94999.99', '95000')).toBe('below')
    expect(conditionFor('95000.00', '95000')).toBeNull()
    expect(conditionFor('95000', null)).toBeNull()
    expect(conditionFor('abc', '95000')).toBeNull()
  })

  it('distance to go in % of the price, signed', () => {
    expect(distancePct('110', '100')).toBeCloseTo(10, 10)
    expect(distancePct('95', '100')).toBeCloseTo(-5, 10)
    expect(distancePct('95', null)).toBeNull()
  })

  it('a ticker price per source; the mid of bid and ask', () => {
    const t = { last: '100.5', bid: '100.25', ask: '100.26' }
    expect(tickerPrice(t, 'last')).toBe('100.5')
    expect(tickerPrice(t, 'bid')).toBe('100.25')
    expect(tickerPrice(t, 'ask')).toBe('100.26')
    expect(tickerPrice(t, 'mid')).toBe('100.255')
    expect(tickerPrice({ ...t, ask: null }, 'mid')).toBeNull()
    expect(tickerPrice(null, 'last')).toBeNull()
    // Exactly the engine's mid, however small the price or long the digits: no exponent, no rounding,
    // so the condition guessed from it is the one the engine will check.
    const tiny = { last: null, bid: '0.00000050', ask: '0.00000052' }
    expect(tickerPrice(tiny, 'mid')).toBe('0.00000051')
    expect(conditionFor('0.00000040', tickerPrice(tiny, 'mid'))).toBe('below')
    expect(tickerPrice({ last: null, bid: '0.000001234567', ask: '0.000001234568' }, 'mid')).toBe('0.0000012345675')
    expect(tickerPrice({ last: null, bid: '94000', ask: '94000.01' }, 'mid')).toBe('94000.005')
    expect(tickerPrice({ last: null, bid: '3', ask: '5' }, 'mid')).toBe('4')
  })

  it("says a delivery's fate (webhook, email)", () => {
    expect(deliveryWords(null, null)).toBe('—')
    expect(deliveryWords('pending', null)).toBe('sending…')
    expect(deliveryWords('failed', 'HTTP 503 after 3 attempts')).toBe('failed (HTTP 503 after 3 attempts)')
    expect(deliveryWords('delivered', '250 OK: queued')).toBe('delivered (250 OK: queued)')
  })

  it('a draft becomes the command: separators dropped, blanks left out, the guessed condition used when none was chosen', () => {
    expect(createInput({ ...emptyDraft, price: '95,000.5', note: '  ', webhookUrl: ' ' }, 'below')).toEqual({
      venueId: 'sim',
      symbol: 'BTC/USDT',
      condition: 'below',
      price: '95000.5',
      source: 'last',
      desktop: true,
      webhookUrl: null,
      repeat: false,
      email: false,
    })
    expect(createInput({ ...emptyDraft, price: '1', condition: 'above', note: ' x ', webhookUrl: 'https://h.example/x', repeat: true }, 'below')).toMatchObject({
      condition: 'above',
      repeat: true,
      note: 'x',
      webhookUrl: 'https://h.example/x',
    })
  })
})

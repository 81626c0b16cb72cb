import { describe, expect, it } from 'vitest'
import { draftOf, emptyDraft, fieldOfPath, followInput, splitRefusal, symbolList, type FollowDraft } from '../../src-renderer/features/copy/followForm'
import { followSettingsSchema, type FollowSettingsInput } from '../../src-main/api/schemas/copy'

const draft = (patch: Partial<FollowDraft> = {}): FollowDraft => ({ ...emptyDraft('sim:trader:momentum'), sizingValue: '50', ...patch })

function input(d: FollowDraft): FollowSettingsInput {
  const r = followInput(d)
  if (!r.ok) throw new Error(JSON.stringify(r.messages))
  return r.input
}

describe('the Follow form to copy.follow’s settings', () => {
  it('starts on the paper account with fixed-quote sizing', () => {
    const d = emptyDraft('sim:trader:momentum')
    expect(d.followerVenueId).toBe('sim')
    expect(d.sizingMode).toBe('fixed-quote')
  })

  it('maps every setting, and the result is what the contract accepts', () => {
    const i = input(
      draft({
        sizingValue: '1,000.50',
        allocationPct: '25',
        minTradeQuote: '10',
        maxTradeQuote: '',
        sides: 'buy',
        allow: 'btc/usdt, eth/usdt  SOL/USDT',
        deny: 'DOGE/USDT',
        symbolMap: [
          { from: 'btc/usdt', to: 'btc/usdc ' },
          { from: '', to: '' },
        ],
        guard: 'limit',
        maxSlippagePct: '0.5',
        maxOpenPositions: '3',
        dailyLossStop: '100',
        totalStopLoss: '500',
        copyExisting: true,
        maxAgeSec: '90',
      }),
    )
    expect(i).toEqual({
      leaderId: 'sim:trader:momentum',
      followerVenueId: 'sim',
      sizing: { mode: 'fixed-quote', value: '1000.50' },
      allocationPct: '25',
      minTradeQuote: '10',
      maxTradeQuote: null,
      sides: 'buy',
      allow: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'],
      deny: ['DOGE/USDT'],
      symbolMap: [{ from: 'BTC/USDT', to: 'BTC/USDC' }],
      priceGuard: { maxSlippagePct: '0.5', action: 'limit' },
      maxOpenPositions: 3,
      dailyLossStop: '100',
      totalStopLoss: '500',
      copyExisting: true,
      maxAgeSec: 90,
    })
    expect(followSettingsSchema.safeParse(i).success).toBe(true)
  })

  it('proportional sizing sends no value; a guard that is off sends null', () => {
    const i = input(draft({ sizingMode: 'proportional', sizingValue: '' }))
    expect(i.sizing).toEqual({ mode: 'proportional' })
    expect(i.priceGuard).toBeNull()
  })

  it('leaves numbers as typed for the engine to judge: 0 and a comma decimal are not “fixed”', () => {
    expect(input(draft({ allocationPct: '0' })).allocationPct).toBe('0')
    expect(input(draft({ sizingMode: 'multiplier', sizingValue: '0,5' })).sizing).toEqual({ mode: 'multiplier', value: '0,5' })
  })

  it('says which required field is still empty, and sends nothing', () => {
    const r = followInput({ ...emptyDraft(''), followerVenueId: '', allocationPct: '', maxAgeSec: '' })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(Object.keys(r.messages).sort()).toEqual(['allocationPct', 'followerVenueId', 'leaderId', 'maxAgeSec', 'sizingValue'])
  })

  it('wants whole numbers for max positions and max age, and both sides of a map row', () => {
    const r = followInput(draft({ maxOpenPositions: '2.5', maxAgeSec: '1e3', symbolMap: [{ from: 'BTC/USDT', to: '' }], guard: 'skip' }))
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.messages.maxOpenPositions).toMatch(/whole number/)
    expect(r.messages.maxAgeSec).toMatch(/whole number/)
    expect(r.messages['symbolMap.0.to']).toBeDefined()
    expect(r.messages['symbolMap.0.from']).toBeUndefined()
    expect(r.messages.maxSlippagePct).toBeDefined()
  })

  it('a saved relationship fills the form back to the same settings', () => {
    const saved = followSettingsSchema.parse(
      input(draft({ sizingMode: 'multiplier', sizingValue: '0.25', allow: 'BTC/USDT', symbolMap: [{ from: 'BTC/USDT', to: 'BTC/USDC' }], guard: 'skip', maxSlippagePct: '1', maxOpenPositions: '4' })),
    )
    expect(followSettingsSchema.parse(input(draftOf(saved)))).toEqual(saved)
  })

  it('splits a symbol list on commas, semicolons and spaces', () => {
    expect(symbolList(' btc/usdt;eth/usdt ,, ')).toEqual(['BTC/USDT', 'ETH/USDT'])
    expect(symbolList('')).toEqual([])
  })
})

describe('the engine’s refusals go next to their fields', () => {
  const sent = input(draft({ symbolMap: [{ from: 'ETH/USDT', to: 'ETH/XYZ' }], allow: 'BTC/USDT, ETH/USDT' }))

  it('the router’s schema messages, for copy.follow and (nested in settings) copy.update', () => {
    expect(splitRefusal('Invalid input for copy.follow: allocationPct: must be greater than zero', sent)).toEqual({ allocationPct: 'must be greater than zero' })
    expect(splitRefusal('Invalid input for copy.update: settings.sizing.value: must be greater than zero; settings.allocationPct: must be at most 100 (%)', sent)).toEqual({
      sizingValue: 'must be greater than zero',
      allocationPct: 'must be at most 100 (%)',
    })
    expect(splitRefusal('Invalid input for copy.follow: allow.1: a market such as BTC/USDT', sent)).toEqual({ allow: 'a market such as BTC/USDT' })
  })

  it('an engine check that names a path: a symbol map row onto a missing market', () => {
    expect(splitRefusal('symbolMap.0.to: ETH/XYZ is not a market on Simulated exchange', sent)).toEqual({ 'symbolMap.0.to': 'ETH/XYZ is not a market on Simulated exchange' })
  })

  it('a sentence that names no path still lands by what it is about', () => {
    expect(splitRefusal('The API key of Binance main is read-only: a follower must be able to trade', sent)).toEqual({
      followerVenueId: 'The API key of Binance main is read-only: a follower must be able to trade',
    })
    expect(splitRefusal('Symbol map: ETH/XYZ does not exist on Simulated exchange', sent)).toEqual({
      'symbolMap.0.to': 'Symbol map: ETH/XYZ does not exist on Simulated exchange',
    })
    expect(splitRefusal('The multiplier must be greater than zero', sent)).toEqual({ sizingValue: 'The multiplier must be greater than zero' })
    const two = input(draft({ symbolMap: [{ from: 'BTC/USDT', to: 'ETH/USDT' }, { from: 'ETH/USDT', to: 'ETH/XYZ' }] }))
    const msg = 'The symbol map sends ETH/USDT to ETH/XYZ, but Simulated exchange has no market ETH/XYZ'
    expect(splitRefusal(msg, two)).toEqual({ 'symbolMap.1.to': msg })
    expect(splitRefusal('No follower account "sim:trader:x" (a simulated trader can be followed, not copied onto)', sent)).toHaveProperty('followerVenueId')
    expect(splitRefusal('No leader "acct-9": pick a simulated trader or one of your accounts', sent)).toHaveProperty('leaderId')
    expect(splitRefusal('The minimum trade (50) is above the maximum trade (10)', sent)).toHaveProperty('minTradeQuote')
  })

  it('anything else is shown for the whole form', () => {
    expect(splitRefusal('Copy trading is unavailable: the engine is stopping', sent)).toEqual({ general: 'Copy trading is unavailable: the engine is stopping' })
  })

  it('knows the contract’s paths', () => {
    expect(fieldOfPath('priceGuard.maxSlippagePct')).toBe('maxSlippagePct')
    expect(fieldOfPath('settings.symbolMap.3.from')).toBe('symbolMap.3.from')
    expect(fieldOfPath('deny.0')).toBe('deny')
    expect(fieldOfPath('sizing')).toBe('sizingMode')
    expect(fieldOfPath('nonsense')).toBeNull()
  })
})

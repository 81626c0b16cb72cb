import { describe, expect, it } from 'vitest'
import { aggregateParamsSchema } from '../../src-main/api/schemas/market'
import { createStreamHub, type StreamSources } from '../../src-main/api/streams'

// market.aggregate naming a venue twice was accepted and then failed inside the engine ("venue sim
// already added", an unhandled rejection): it is refused at the door with a clear message.

describe('market.aggregate params', () => {
  it('refuses a venue named twice, saying which', () => {
    const parsed = aggregateParamsSchema.safeParse({ base: 'BTC', quote: 'USDT', venueIds: ['sim', 'binance', 'sim'] })
    expect(parsed.success).toBe(false)
    const hub = createStreamHub({ 'market.aggregate': () => () => {} } as unknown as StreamSources)
    const opened = hub.open('market.aggregate', { base: 'BTC', quote: 'USDT', venueIds: ['sim', 'sim'] }, () => {})
    expect(opened).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringContaining('venueIds names sim more than once') } })
  })

  it('accepts distinct venues', () => {
    expect(aggregateParamsSchema.safeParse({ base: 'BTC', quote: 'USDT', venueIds: ['sim', 'binance'] }).success).toBe(true)
  })
})

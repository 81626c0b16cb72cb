import React from 'react'
import { vi } from 'vitest'
import { stubDom } from './renderer-keys-harness'
import type { AggregateFrame } from '../../src-main/api/contract'

/**
 * Set-up for rendering views to static markup: the stores read their current state (a server render has no
 * server snapshot otherwise) and the engine link reads `connection()`. Returns the undo, for afterAll.
 */
export function serverRenderSetup(connection: () => string = () => 'connected'): () => void {
  const useSyncExternalStore = React.useSyncExternalStore
  React.useSyncExternalStore = (subscribe, get) => useSyncExternalStore(subscribe, get, get)
  stubDom('other')
  vi.doMock('../../src-renderer/features/connection/connection', async (importOriginal) => ({
    ...(await importOriginal<object>()),
    useConnection: () => connection(),
  }))
  return () => {
    React.useSyncExternalStore = useSyncExternalStore
    vi.doUnmock('../../src-renderer/features/connection/connection')
    vi.unstubAllGlobals()
  }
}

/** The simulator's BTC/USDT alone in an aggregated book: one bid at 100 and one ask at 101 of the given sizes. */
export function simAggregate(bidSize: number, askSize: number): AggregateFrame {
  return {
    base: 'BTC',
    quote: 'USD',
    venues: ['sim'],
    bids: [{ price: 100, size: bidSize, shares: [bidSize] }],
    asks: [{ price: 101, size: askSize, shares: [askSize] }],
    best: [{ venueId: 'sim', symbol: 'BTC/USDT', bid: 100, bidSize, ask: 101, askSize, status: 'live', reason: null }],
    arbitrage: null,
    excluded: [],
    at: 0,
  }
}

import { useEffect } from 'react'
import { create } from 'zustand'
import { api } from '../../api'
import { usePoll } from '../../ui/usePoll'
import { changeTimes, FLASH_MS, FLASH_STEPS } from './book'
import type { MarketRef } from '../workspace/layout'
import { useKeyed } from './useKeyed'
import { useVenues, venueName } from '../markets/venuesStore'
import { sharedStreams } from './sharedStream'
import { createFrameClock, type DrawPacing } from './frameClock'
import type { BookFrameView, MarketView } from '../../../src-main/api/contract'

// The Trade page's feeds: the market list (watchlist, market pickers, each view's tick and step), polled
// by the page, and each ladder's or depth chart's own order book stream, open while the view is.

const MARKETS_MS = 2000
/** The most markets.search returns: the polled list holds at most this many. */
export const MARKET_LIST_LIMIT = 500

interface MarketList {
  rows: MarketView[]
  error: string | null
  loaded: boolean
}

export const useMarketList = create<MarketList>()(() => ({ rows: [], error: null, loaded: false }))

/** Polls markets.search every 2 s while mounted (the watchlist and the current market's facts). */
export function useMarketListPoll(): void {
  usePoll(async (alive) => {
    try {
      const rows = await api.invoke('markets.search', { query: '', limit: MARKET_LIST_LIMIT })
      if (alive()) useMarketList.setState({ rows, error: null, loaded: true })
    } catch (err) {
      if (alive()) useMarketList.setState({ error: err instanceof Error ? err.message : String(err), loaded: true })
    }
  }, MARKETS_MS)
}

/**
 * Why a market asked for has no facts yet. `definite`: the venue answered with its markets loaded and has
 * no such market; otherwise its markets could not be loaded (still loading, or failing) — for now only.
 */
export interface MarketMiss {
  why: string
  definite: boolean
}

/**
 * Facts (tick, step) of the markets an open view shows that the polled list does not hold (a venue with
 * more markets than its first MARKET_LIST_LIMIT), asked of the engine one market at a time. `missing` says
 * why a market asked for has none yet: the venue's markets could not be loaded, or it has no such market.
 */
export const useMarketFacts = create<{ byKey: Record<string, MarketView>; missing: Record<string, MarketMiss> }>()(() => ({
  byKey: {},
  missing: {},
}))
const factsAsked = new Set<string>()
const factsKey = (m: MarketRef) => `${m.venueId}|${m.symbol}`
/** Views that show each market whose facts are not known yet: while any does, a miss is asked again. */
const factsWanted = new Map<string, number>()
const factsRetry = new Map<string, { delay: number; timer: ReturnType<typeof setTimeout> }>()
const FACTS_RETRY_FIRST_MS = 5000
const FACTS_RETRY_MAX_MS = 60_000

function factsMissed(market: MarketRef, miss: MarketMiss): void {
  const key = factsKey(market)
  factsAsked.delete(key) // a view opened on it next asks at once
  useMarketFacts.setState((s) => ({ missing: { ...s.missing, [key]: miss } }))
  // A venue still loading its markets, or failing to, has them later: ask again, less and less often.
  const previous = factsRetry.get(key)
  if (previous) clearTimeout(previous.timer)
  if (!factsWanted.get(key)) return void factsRetry.delete(key)
  const delay = previous ? Math.min(previous.delay * 2, FACTS_RETRY_MAX_MS) : FACTS_RETRY_FIRST_MS
  const timer = setTimeout(() => void ensureMarketFacts(market), delay)
  factsRetry.set(key, { delay, timer })
}

/** Asks the engine for one market's facts (once per market while they are found or being asked). */
export async function ensureMarketFacts(market: MarketRef): Promise<void> {
  const key = factsKey(market)
  if (factsAsked.has(key) || useMarketFacts.getState().byKey[key]) return
  factsAsked.add(key)
  let found: MarketView | undefined
  try {
    const rows = await api.invoke('markets.search', { venueId: market.venueId, query: market.symbol.slice(0, 40), limit: MARKET_LIST_LIMIT })
    found = rows.find((m) => m.symbol === market.symbol)
  } catch (err) {
    // The engine says "Markets of X could not be loaded: …" for a venue whose markets failed.
    return factsMissed(market, { why: err instanceof Error ? err.message : String(err), definite: false })
  }
  // The venue answered with its markets loaded: a definite "not there" (asked again all the same: a listing).
  if (!found) return factsMissed(market, { why: `No such market on ${venueName(useVenues.getState(), market.venueId).label}`, definite: true })
  const retry = factsRetry.get(key)
  if (retry) clearTimeout(retry.timer)
  factsRetry.delete(key)
  const { [key]: _gone, ...missing } = useMarketFacts.getState().missing
  useMarketFacts.setState((s) => ({ byKey: { ...s.byKey, [key]: found }, missing }))
}

/** A view shows this market and needs its facts: asks for them, and again after a miss until it leaves. */
export function wantMarketFacts(market: MarketRef): () => void {
  const key = factsKey(market)
  factsWanted.set(key, (factsWanted.get(key) ?? 0) + 1)
  void ensureMarketFacts(market)
  return () => {
    const left = (factsWanted.get(key) ?? 1) - 1
    if (left > 0) return void factsWanted.set(key, left)
    factsWanted.delete(key)
    const retry = factsRetry.get(key)
    if (retry) clearTimeout(retry.timer)
    factsRetry.delete(key)
  }
}

export function useMarketInfo(market: MarketRef | null): MarketView | null {
  const listed = useMarketList(
    (s) => (market && s.rows.find((m) => m.venueId === market.venueId && m.symbol === market.symbol)) || null,
  )
  const looked = useMarketFacts((s) => (market ? (s.byKey[factsKey(market)] ?? null) : null))
  const missing = useMarketList((s) => s.loaded) && market !== null && listed === null && looked === null
  const venueId = market?.venueId
  const symbol = market?.symbol
  useEffect(() => {
    if (missing && venueId && symbol) return wantMarketFacts({ venueId, symbol })
  }, [missing, venueId, symbol])
  return listed ?? looked
}

/** Why a market's facts are not known yet ("No such market on Binance"), or null while none was said. */
export function useMarketMissing(market: MarketRef | null): string | null {
  return useMarketFacts((s) => (market ? (s.missing[factsKey(market)]?.why ?? null) : null))
}

export interface BookState {
  frame: BookFrameView | null
  error: string | null
  /** Per side, per price: when the level last changed (performance.now()), while it still flashes. */
  changed: { bids: Map<number, number>; asks: Map<number, number> }
  /** performance.now() of this state: the flashes' clock. */
  at: number
}

const EMPTY_BOOK: BookState = { frame: null, error: null, changed: { bids: new Map(), asks: new Map() }, at: 0 }

/** Milliseconds between the redraws that step a flash's fade when no frame comes meanwhile. */
const FADE_STEP_MS = FLASH_MS / FLASH_STEPS

/**
 * How the Trade page's stream views are paced: at screen rate while a drawn frame is cheap; when a frame holds
 * the renderer's main thread longer (software rendering, a slow machine), drawing is spaced to take about a
 * quarter of it, down to about 30 draws a second. The engine sends up to 60 frames a second per view; in
 * software rendering a frame of this page costs about 10 ms of style, layout and paint, and at 60 draws a
 * second the contract socket's frames queued behind the drawing (stream bench, issue 4). Every update still
 * shows: the latest state is drawn at the next applied frame.
 */
export const VIEW_DRAW_PACING: DrawPacing = { share: 0.25, maxGapMs: 33 }

/** Callbacks for the task after the current frame's rendering (a message posted from the frame runs then). */
const afterFrameQueue: (() => void)[] = []
const afterFrameChannel = typeof MessageChannel === 'undefined' ? null : new MessageChannel()
if (afterFrameChannel !== null) {
  afterFrameChannel.port1.onmessage = () => {
    const due = afterFrameQueue.splice(0)
    for (const fn of due) fn()
  }
}

/**
 * The Trade page's drawing clock: ladders, depth charts, tapes, aggregated books, candles and the ticker apply
 * their stream updates together, in one animation frame, paced by VIEW_DRAW_PACING (see frameClock.ts).
 */
export const viewClock = createFrameClock(
  {
    frame: (callback) => requestAnimationFrame(callback),
    cancelFrame: (handle) => cancelAnimationFrame(handle as number),
    delay: (callback, ms) => setTimeout(callback, ms),
    cancelDelay: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    now: () => performance.now(),
    ...(afterFrameChannel !== null
      ? {
          afterFrame: (callback: () => void) => {
            afterFrameQueue.push(callback)
            afterFrameChannel.port2.postMessage(0)
          },
        }
      : {}),
  },
  VIEW_DRAW_PACING,
)

type BookParams = { venueId: string; symbol: string; depth: number; group?: string }

/** market.book streams, one per (market, grouping, depth) whatever the number of views showing it. */
const joinBook = sharedStreams<BookParams, BookFrameView>(
  (p) => `${p.venueId}|${p.symbol}|${p.depth}|${p.group ?? ''}`,
  (params, onFrame, onError) => api.subscribe('market.book', params, onFrame, (err) => onError(err.message)),
)

/**
 * One view's market.book feed (market, grouping, levels per side), on a stream shared with the other views
 * of the same params; frames are applied on the page's drawing clock, at most once per animation frame (the
 * engine already coalesces to ≤ 60/s). Leaves the stream on change and unmount.
 */
export function useBookFeed(market: MarketRef | null, group: string | undefined, depth: number): BookState {
  const venueId = market?.venueId
  const symbol = market?.symbol
  const [book, setBook] = useKeyed<BookState>(`${venueId}|${symbol}|${group ?? ''}|${depth}`, EMPTY_BOOK)
  useEffect(() => {
    if (!venueId || !symbol) return
    const owner = {}
    let pending: BookFrameView | null = null
    let cancel = () => {}
    let closed = false
    // A flash fades in steps, redrawn on the clock: frames do it while they come; after the last one a timer
    // steps the fade until it has ended (so a quiet book's flashes end too).
    const fadeOwner = {}
    let fadeTimer: ReturnType<typeof setTimeout> | null = null
    let lastAppliedAt = 0
    let cancelFade = () => {}
    const fadeLater = () => {
      if (fadeTimer !== null) clearTimeout(fadeTimer)
      fadeTimer = setTimeout(() => {
        fadeTimer = null
        if (closed) return
        cancelFade = viewClock.schedule(fadeOwner, () => {
          if (!closed) setBook((prev) => fade(prev, performance.now()))
        })
        if (performance.now() - lastAppliedAt < FLASH_MS) fadeLater()
      }, FADE_STEP_MS)
    }
    const apply = () => {
      if (closed || !pending) return
      const next = pending
      pending = null
      const now = performance.now()
      lastAppliedAt = now
      setBook((prev) => ({
        frame: next,
        error: null,
        changed: {
          bids: changeTimes(prev.changed.bids, prev.frame?.bids ?? null, next.bids, now),
          asks: changeTimes(prev.changed.asks, prev.frame?.asks ?? null, next.asks, now),
        },
        at: now,
      }))
      fadeLater()
    }
    const leave = joinBook(
      { venueId, symbol, depth, ...(group ? { group } : {}) },
      (frame) => {
        pending = frame
        cancel = viewClock.schedule(owner, apply)
      },
      (message) => {
        if (!closed) setBook((prev) => ({ ...prev, error: message }))
      },
    )
    return () => {
      closed = true
      cancel()
      cancelFade()
      if (fadeTimer !== null) clearTimeout(fadeTimer)
      leave()
    }
  }, [venueId, symbol, group, depth, setBook])
  return book
}

/** The same book at a later time: flashes that ended are dropped (the same state when none was on). */
function fade(prev: BookState, now: number): BookState {
  if (prev.changed.bids.size === 0 && prev.changed.asks.size === 0) return prev
  const keep = (m: Map<number, number>) => {
    const out = new Map<number, number>()
    for (const [price, at] of m) if (now - at < FLASH_MS) out.set(price, at)
    return out
  }
  return { ...prev, changed: { bids: keep(prev.changed.bids), asks: keep(prev.changed.asks) }, at: now }
}

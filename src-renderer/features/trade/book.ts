import { decimalsOf, groupDigits } from '../../ui/decimal'

// The order book ladder's arithmetic: grouping steps, cumulative sizes, depth-bar ratios and which levels
// changed between two frames. Pure (no DOM), so it is tested in Node. Levels are plain numbers (the
// streaming path, house rule 7); only the grouping step the engine is asked for is an exact decimal.

export type Level = readonly [price: number, size: number]

/** Grouping choices, as multiples of the market's tick. */
export const GROUP_MULTIPLES = [1, 10, 100, 1000] as const
export type GroupMultiple = (typeof GROUP_MULTIPLES)[number]

/** `step` × 10^k, exactly, on the digit string: ('0.01', 1) → '0.1'; ('0.5', 3) → '500'; ('1', 2) → '100'. */
export function scaleStep(step: string, k: number): string {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(step.trim())
  if (!m) return step
  const int = m[1]!
  const frac = (m[2] ?? '').padEnd(k, '0')
  const digits = `${int}${frac.slice(0, k)}`.replace(/^0+(?=\d)/, '')
  const rest = frac.slice(k).replace(/0+$/, '')
  return rest ? `${digits}.${rest}` : digits
}

/** The `group` param for the book stream: none at 1× (the raw book), else tick × multiple. */
export function groupParam(tick: string, multiple: GroupMultiple): string | undefined {
  if (multiple === 1) return undefined
  return scaleStep(tick, Math.round(Math.log10(multiple)))
}

/** The next grouping in the cycle 1× → 10× → 100× → 1000× → 1×. */
export function nextGroup(multiple: GroupMultiple): GroupMultiple {
  const i = GROUP_MULTIPLES.indexOf(multiple)
  return GROUP_MULTIPLES[(i + 1) % GROUP_MULTIPLES.length]!
}

/**
 * Decimals a price is shown with: those of the grouping step in effect, else of the tick; with neither
 * known yet (the venue's markets still loading), as many as the shown prices have, so that a price is
 * never rounded (a level picked into the ticket must be the level's own price).
 */
export function priceDecimals(tick: string | null, group: string | null | undefined, levels: readonly Level[] = []): number {
  const step = group ?? tick
  if (step !== null) return decimalsOf(step)
  let most = 0
  for (const [price] of levels) most = Math.max(most, decimalsOfNumber(price))
  return most
}

/** Decimals of a number's shortest text, exponent form included: 100.03 → 2, 1.234e-7 → 10. */
function decimalsOfNumber(value: number): number {
  const m = /^-?\d+(?:\.(\d+))?(?:e([+-]\d+))?$/i.exec(String(value))
  if (!m) return 0
  return Math.max(0, (m[1]?.length ?? 0) - Number(m[2] ?? 0))
}

/** A plain number at fixed decimals with thousands separators: (64123.5, 2) → '64,123.50'. */
export function formatFixed(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return '—'
  const fixed = value.toFixed(Math.max(0, Math.min(decimals, 20)))
  const negative = fixed.startsWith('-')
  const [int, frac] = (negative ? fixed.slice(1) : fixed).split('.')
  return `${negative ? '-' : ''}${groupDigits(int!)}${frac ? `.${frac}` : ''}`
}

/**
 * The book's health as the ladder shows it: the engine's word, except that a book the page no longer hears
 * from (the link down, or given up as silent by the transport's heartbeat) is not called live. A book stale
 * for silence (`silentSince`, the engine's time of its last message), given the time `now`, says how long
 * that silence has lasted, counting on (the engine's reason names the time, which stays true but is UTC).
 */
export function bookHealthShown<S extends string>(
  health: { status: S | 'live' | 'stale'; reason: string | null; silentSince?: number | null },
  connection: string,
  now?: number,
): { status: S | 'live' | 'stale'; reason: string | null } {
  if (connection !== 'connected' && health.status === 'live') return { status: 'stale', reason: 'no connection to the engine' }
  if (health.status === 'stale' && health.silentSince != null && now !== undefined) {
    return { status: health.status, reason: `no message for ${silenceText(now - health.silentSince)}` }
  }
  return { status: health.status, reason: health.reason }
}

/** '5 s' up to two minutes, then '25 min' up to two hours, then '3 h'. */
function silenceText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  if (s < 120) return `${s} s`
  if (s < 7200) return `${Math.floor(s / 60)} min`
  return `${Math.floor(s / 3600)} h`
}

/**
 * The spread and mid shown between the ladder's sides. They come from the real best bid and ask whatever
 * the grouping, so they keep the market's tick precision (the step's would round a one-tick spread to
 * 0.00); the mid, half-way between two prices, has one decimal more.
 */
export function spreadMidText(
  frame: { spread: number | null; mid: number | null; group?: string | null },
  tick: string | null,
  levels: readonly Level[] = [],
): { spread: string; mid: string } {
  // Without a tick the book is ungrouped (grouping waits for it): its levels carry the tick's precision.
  const pd = priceDecimals(tick, null, levels)
  return {
    spread: frame.spread === null ? '—' : formatFixed(frame.spread, pd),
    mid: frame.mid === null ? '—' : formatFixed(frame.mid, pd + 1),
  }
}

export interface LadderRow {
  price: number
  size: number
  /** Sum of sizes from the best level up to and including this one. */
  cum: number
  /** cum / the deeper side's total, 0..1: the depth bar's length. */
  ratio: number
}

export interface Ladder {
  /** Best (lowest) first. */
  asks: LadderRow[]
  /** Best (highest) first. */
  bids: LadderRow[]
  /** The larger of the two sides' totals (both sides' bars share one scale). */
  maxCum: number
}

function cumulate(levels: readonly Level[]): LadderRow[] {
  let cum = 0
  return levels.map(([price, size]) => {
    cum += size
    return { price, size, cum, ratio: 0 }
  })
}

/** Cumulative sizes per side from the best level outwards, with depth-bar ratios on one shared scale. */
export function buildLadder(bids: readonly Level[], asks: readonly Level[], rows = Infinity): Ladder {
  const b = cumulate(bids.slice(0, rows))
  const a = cumulate(asks.slice(0, rows))
  const maxCum = Math.max(b.at(-1)?.cum ?? 0, a.at(-1)?.cum ?? 0)
  if (maxCum > 0) for (const row of [...a, ...b]) row.ratio = row.cum / maxCum
  return { asks: a, bids: b, maxCum }
}

/** Prices whose size differs from the previous frame's (new levels included; removed ones are gone). */
export function changedPrices(previous: readonly Level[] | null, next: readonly Level[]): Set<number> {
  const changed = new Set<number>()
  if (!previous) return changed
  const before = new Map<number, number>()
  for (const [price, size] of previous) before.set(price, size)
  for (const [price, size] of next) if (before.get(price) !== size) changed.add(price)
  return changed
}

/** The price of the row nearest to `price` (itself when it is there); null when there are no rows. */
export function nearestLevel(rows: readonly { price: number }[], price: number): number | null {
  let best: number | null = null
  for (const r of rows) if (best === null || Math.abs(r.price - price) < Math.abs(best - price)) best = r.price
  return best
}

/** How long a changed level stays marked, and in how many fading steps. */
export const FLASH_MS = 600
export const FLASH_STEPS = 3

/**
 * The flash step of a level that last changed at `changedAt` (1 = just changed, strongest … FLASH_STEPS =
 * faintest), or 0 when it is not (or no longer) flashing. A stepped fade, redrawn on the page's drawing clock,
 * instead of a CSS animation: an animation on some row at every moment kept the page drawing every display frame.
 */
export function flashStep(changedAt: number | undefined, now: number): number {
  if (changedAt === undefined) return 0
  const age = now - changedAt
  if (age < 0) return 1
  if (age >= FLASH_MS) return 0
  return 1 + Math.floor((age / FLASH_MS) * FLASH_STEPS)
}

/**
 * When each shown level last changed: `changed` is the previous map (price → time), `now` the time of this
 * frame. Levels gone from the frame are forgotten; on the first frame nothing counts as changed.
 */
export function changeTimes(changed: ReadonlyMap<number, number>, previous: readonly Level[] | null, next: readonly Level[], now: number): Map<number, number> {
  const differs = changedPrices(previous, next)
  const out = new Map<number, number>()
  for (const [price] of next) {
    if (differs.has(price)) out.set(price, now)
    else {
      const at = changed.get(price)
      if (at !== undefined && now - at < FLASH_MS) out.set(price, at)
    }
  }
  return out
}

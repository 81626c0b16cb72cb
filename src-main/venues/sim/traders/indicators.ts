// Small indicator helpers over plain number series (signals, not money).

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  let s = 0
  for (const v of values) s += v
  return s / values.length
}

export function stdev(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN
  const m = mean(values)
  let s = 0
  for (const v of values) s += (v - m) * (v - m)
  return Math.sqrt(s / (values.length - 1))
}

/** Exponential moving average of the series (seeded with its first value). */
export function ema(values: readonly number[], period: number): number {
  if (values.length === 0) return Number.NaN
  const k = 2 / (period + 1)
  let e = values[0] as number
  for (let i = 1; i < values.length; i++) e += k * ((values[i] as number) - e)
  return e
}

/** Wilder's RSI over the last `period` changes; NaN when too short. */
export function rsi(values: readonly number[], period: number): number {
  if (values.length < period + 1) return Number.NaN
  let gain = 0
  let loss = 0
  for (let i = values.length - period; i < values.length; i++) {
    const d = (values[i] as number) - (values[i - 1] as number)
    if (d > 0) gain += d
    else loss -= d
  }
  if (loss === 0) return gain === 0 ? 50 : 100
  const rs = gain / loss
  return 100 - 100 / (1 + rs)
}

/** A fixed-length window of the most recent samples. */
export class Window {
  private readonly items: number[] = []

  constructor(readonly size: number) {}

  push(value: number): void {
    this.items.push(value)
    if (this.items.length > this.size) this.items.shift()
  }

  get length(): number {
    return this.items.length
  }

  get full(): boolean {
    return this.items.length >= this.size
  }

  values(): readonly number[] {
    return this.items
  }

  last(): number | undefined {
    return this.items[this.items.length - 1]
  }
}

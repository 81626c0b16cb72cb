// A small, fast, seeded PRNG for the simulated exchange (xoshiro128** seeded through splitmix32).
//
// Everything random in the synthetic market and the simulated traders draws from an Rng so that a seed
// reproduces the same market. Streams are forked by label (`rng.fork('mm:BTC/USDT')`): a fork depends only
// on its parent's seed and the label, never on how many numbers the parent has drawn, so adding an agent or
// a draw in one place does not perturb every other agent.

export type Seed = number | string

/** 32-bit FNV-1a over the string's UTF-16 code units, finished with murmur3's fmix32. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return fmix32(h)
}

function fmix32(value: number): number {
  let h = value >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** Reduces any seed to 32 bits; numbers use their integer part and their high bits too. */
export function seedToUint32(seed: Seed): number {
  if (typeof seed === 'string') return hashString(seed)
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be finite, got ${seed}`)
  const integer = Math.trunc(seed)
  const low = integer >>> 0
  const high = Math.floor(integer / 0x1_0000_0000) >>> 0
  return fmix32(low ^ fmix32(high + 0x9e3779b9))
}

const TWO_POW_32 = 0x1_0000_0000
const TWO_PI = Math.PI * 2

export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number
  private spareNormal: number | null = null
  /** The 32-bit key this stream was seeded from; forks derive from it. */
  readonly key: number

  constructor(seed: Seed) {
    this.key = seedToUint32(seed)
    // splitmix32 expands the key into the four state words (never all zero).
    let s = this.key
    const next = () => {
      s = (s + 0x9e3779b9) | 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next()
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1
  }

  /** An independent stream named `label`, determined by this stream's seed and the label only. */
  fork(label: string): Rng {
    return new Rng(hashString(label, this.key ^ 0x5bd1e995))
  }

  /** Uniform 32-bit unsigned integer (xoshiro128**). */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0
    const t = this.b << 9
    this.c ^= this.a
    this.d ^= this.b
    this.b ^= this.c
    this.a ^= this.d
    this.c ^= t
    this.d = rotl(this.d, 11)
    return result
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / TWO_POW_32
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next()
  }

  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`int(${min}, ${max}): empty range`)
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** Standard normal (Box–Muller, the second value kept for the next call). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal
      this.spareNormal = null
      return mean + sd * z
    }
    let u = 0
    while (u === 0) u = this.next()
    const v = this.next()
    const r = Math.sqrt(-2 * Math.log(u))
    this.spareNormal = r * Math.sin(TWO_PI * v)
    return mean + sd * r * Math.cos(TWO_PI * v)
  }

  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate: number): number {
    if (!(rate > 0)) return Number.POSITIVE_INFINITY
    let u = 0
    while (u === 0) u = this.next()
    return -Math.log(u) / rate
  }

  /** exp(N(mu, sigma)). */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma))
  }

  /** Pareto with scale xm and shape alpha (heavy tail for large trades). */
  pareto(xm: number, alpha: number): number {
    let u = 0
    while (u === 0) u = this.next()
    return xm / Math.pow(u, 1 / alpha)
  }

  /** A uniformly chosen element, or undefined for an empty list. */
  pick<T>(items: readonly T[]): T | undefined {
    if (items.length === 0) return undefined
    return items[Math.floor(this.next() * items.length)]
  }

  /** The internal state, for tests that check two streams are in step. */
  state(): [number, number, number, number] {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0]
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}

export function createRng(seed: Seed): Rng {
  return new Rng(seed)
}

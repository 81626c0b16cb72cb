import { describe, expect, it } from 'vitest'
import { sharedStreams, type Subscribe } from '../../src-renderer/features/trade/sharedStream'

interface Params {
  symbol: string
  depth: number
}

/** A fake engine: records opened streams; each can push frames or end with an error. */
function fakeEngine() {
  const streams: { params: Params; push: (f: string) => void; fail: (m: string) => void; closed: boolean }[] = []
  const subscribe: Subscribe<Params, string> = (params, onEvent, onError) => {
    const s = { params, push: onEvent, fail: onError, closed: false }
    streams.push(s)
    return () => {
      s.closed = true
    }
  }
  return { streams, join: sharedStreams<Params, string>((p) => `${p.symbol}|${p.depth}`, subscribe) }
}

describe('shared book streams (one stream per market, grouping and depth)', () => {
  it('opens one stream for two views of the same params and gives both every frame', () => {
    const { streams, join } = fakeEngine()
    const a: string[] = []
    const b: string[] = []
    join({ symbol: 'BTC/USDT', depth: 40 }, (f) => a.push(f), () => {})
    join({ symbol: 'BTC/USDT', depth: 40 }, (f) => b.push(f), () => {})
    expect(streams).toHaveLength(1)
    streams[0]!.push('f1')
    streams[0]!.push('f2')
    expect(a).toEqual(['f1', 'f2'])
    expect(b).toEqual(['f1', 'f2'])
  })

  it('opens separate streams for other params', () => {
    const { streams, join } = fakeEngine()
    join({ symbol: 'BTC/USDT', depth: 40 }, () => {}, () => {})
    join({ symbol: 'BTC/USDT', depth: 20 }, () => {}, () => {})
    join({ symbol: 'ETH/USDT', depth: 40 }, () => {}, () => {})
    expect(streams.map((s) => `${s.params.symbol}|${s.params.depth}`)).toEqual(['BTC/USDT|40', 'BTC/USDT|20', 'ETH/USDT|40'])
  })

  it('gives a view that joins later the latest frame at once (the engine sends on change only)', () => {
    const { streams, join } = fakeEngine()
    join({ symbol: 'BTC/USDT', depth: 40 }, () => {}, () => {})
    streams[0]!.push('f1')
    streams[0]!.push('f2')
    const late: string[] = []
    join({ symbol: 'BTC/USDT', depth: 40 }, (f) => late.push(f), () => {})
    expect(late).toEqual(['f2'])
    streams[0]!.push('f3')
    expect(late).toEqual(['f2', 'f3'])
  })

  it('closes the stream when the last view leaves, not before, and a new view opens a fresh one', () => {
    const { streams, join } = fakeEngine()
    const a: string[] = []
    const leaveA = join({ symbol: 'BTC/USDT', depth: 40 }, (f) => a.push(f), () => {})
    const leaveB = join({ symbol: 'BTC/USDT', depth: 40 }, () => {}, () => {})
    leaveA()
    leaveA() // twice is harmless
    expect(streams[0]!.closed).toBe(false)
    streams[0]!.push('after a left')
    expect(a).toEqual([])
    leaveB()
    expect(streams[0]!.closed).toBe(true)
    const fresh: string[] = []
    join({ symbol: 'BTC/USDT', depth: 40 }, (f) => fresh.push(f), () => {})
    expect(streams).toHaveLength(2)
    expect(fresh).toEqual([]) // nothing stale from the closed stream
  })

  it('tells every view of a stream its error and opens a new stream for the next view', () => {
    const { streams, join } = fakeEngine()
    const errors: string[] = []
    join({ symbol: 'NOPE/USDT', depth: 40 }, () => {}, (m) => errors.push(`a: ${m}`))
    join({ symbol: 'NOPE/USDT', depth: 40 }, () => {}, (m) => errors.push(`b: ${m}`))
    streams[0]!.fail('Unknown market')
    expect(errors).toEqual(['a: Unknown market', 'b: Unknown market'])
    join({ symbol: 'NOPE/USDT', depth: 40 }, () => {}, () => {})
    expect(streams).toHaveLength(2)
  })

  it('keeps two joins with the same callback apart (leaving one keeps the other)', () => {
    const { streams, join } = fakeEngine()
    const got: string[] = []
    const cb = (f: string) => got.push(f)
    const leave1 = join({ symbol: 'BTC/USDT', depth: 40 }, cb, () => {})
    join({ symbol: 'BTC/USDT', depth: 40 }, cb, () => {})
    leave1()
    streams[0]!.push('f1')
    expect(got).toEqual(['f1'])
    expect(streams[0]!.closed).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import { makeFills } from '../bench/portfolio-workload'

// The tax bench reports "2023" for the US (America/New_York): the bench workload must lie wholly in 2023
// wherever the report's zone is, or part of it silently falls into 2022 and out of the report.
const yearIn = (t: number, timeZone: string) => Number(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(t))

describe('bench fills workload', () => {
  it('lies in 2023 in US Eastern time and in the zones furthest from UTC', () => {
    const fills = makeFills(200_000)
    const first = fills[0]!.timestamp
    const last = fills.at(-1)!.timestamp
    for (const zone of ['America/New_York', 'Pacific/Pago_Pago', 'Pacific/Kiritimati', 'UTC']) {
      expect([yearIn(first, zone), yearIn(last, zone)]).toEqual([2023, 2023])
    }
  })
})

// Losses carried from earlier tax years, as pure arithmetic on cents (losses are negative).
//  - US (Schedule D's capital loss carryover worksheet): a year's short- and long-term nets offset each
//    other; a net loss is deductible against other income up to 3,000 USD a year, short-term loss first,
//    and the rest carries to the next year keeping its term. (The worksheet's cap by taxable income is not
//    known here: other income is assumed to cover the deduction.)
//  - UK: a year's losses are set against its gains in full; losses brought forward only bring the net gain
//    down to the annual exempt amount, and the rest carries on.
//  - DE (§ 23 Abs. 3 EStG): the Freigrenze is tested on the year's own net gain first; only a gain at or
//    above it is taxable, and only that is reduced by losses carried forward (under § 10d's minimum
//    taxation: in full up to 1 million EUR, beyond it 60 %, 70 % for 2024–2027). A loss carries forward once
//    the tax office has recorded it (Verlustfeststellung), so report.ts applies German carryforwards only
//    from an amount the user entered from that record.

/** A tax year's net results from the ledger, in cents. */
export interface YearNet {
  year: number
  short: bigint
  long: bigint
}

/**
 * Every tax year from `first` to `last`, oldest first: the given years' nets, and zero for a year without
 * disposals (which still spends a US year's 3,000 USD deduction and counts toward the UK's four years).
 */
export function everyYear(years: readonly YearNet[], first: number, last: number): YearNet[] {
  const byYear = new Map(years.map((y) => [y.year, y]))
  const out: YearNet[] = []
  for (let y = first; y <= last; y++) out.push(byYear.get(y) ?? { year: y, short: 0n, long: 0n })
  return out
}

/** What carries: short- and long-term losses (≤ 0). */
export interface Carry {
  short: bigint
  long: bigint
}

export const US_LOSS_DEDUCTION = 300_000n // 3,000.00 USD a year

const min = (a: bigint, b: bigint) => (a < b ? a : b)

/** One US year: its nets with what came in; the net, the deduction against other income, and what carries on. */
export function usYear(short: bigint, long: bigint): { net: bigint; deducted: bigint; carry: Carry } {
  let s = short
  let l = long
  // A gain in one term absorbs a loss in the other.
  if (s < 0n && l > 0n) [s, l] = s + l >= 0n ? [0n, s + l] : [s + l, 0n]
  else if (l < 0n && s > 0n) [s, l] = s + l >= 0n ? [s + l, 0n] : [0n, s + l]
  const net = s + l
  if (net >= 0n) return { net, deducted: 0n, carry: { short: 0n, long: 0n } }
  const deducted = min(US_LOSS_DEDUCTION, -net)
  const fromShort = min(deducted, s < 0n ? -s : 0n)
  return { net, deducted, carry: { short: s + fromShort, long: l + (deducted - fromShort) } }
}

/** The US carryover into the year after `years` (oldest first). */
export function usCarryover(years: readonly YearNet[], start: Carry = { short: 0n, long: 0n }): Carry {
  let carry: Carry = start
  for (const y of years) carry = usYear(y.short + carry.short, y.long + carry.long).carry
  return carry
}

/** One UK year: its net gain (gains less the year's losses) against losses brought forward (≥ 0). */
export function ukYear(net: bigint, broughtForward: bigint, exempt: bigint): { used: bigint; carried: bigint; taxable: bigint } {
  if (net <= 0n) return { used: 0n, carried: broughtForward - net, taxable: 0n }
  const room = net > exempt ? net - exempt : 0n
  const used = min(broughtForward, room)
  return { used, carried: broughtForward - used, taxable: room - used }
}

/** UK losses (≥ 0) brought into the year after `years` (oldest first; `short` holds the year's net). */
export function ukBroughtForward(years: readonly YearNet[], exemptOf: (year: number) => bigint, start = 0n): bigint {
  let bf = start
  for (const y of years) bf = ukYear(y.short + y.long, bf, exemptOf(y.year)).carried
  return bf
}

const DE_FULL_OFFSET = 100_000_000n // 1,000,000.00 EUR

/** § 10d Abs. 2 EStG: how much of a gain losses carried forward may offset (cents). */
export function deOffsetCap(gain: bigint, year: number): bigint {
  if (gain <= DE_FULL_OFFSET) return gain
  const pct = year >= 2024 && year <= 2027 ? 70n : 60n
  return DE_FULL_OFFSET + ((gain - DE_FULL_OFFSET) * pct) / 100n
}

/**
 * One German year: its private-sale net against the loss carried forward (≥ 0) and the Freigrenze. A net
 * under the Freigrenze is tax-free and leaves the carryforward alone; a loss adds to it.
 */
export function deYear(net: bigint, carried: bigint, freigrenze: bigint, year: number): { used: bigint; carried: bigint; taxable: bigint } {
  if (net < 0n) return { used: 0n, carried: carried - net, taxable: 0n }
  if (net < freigrenze) return { used: 0n, carried, taxable: 0n }
  const used = min(carried, deOffsetCap(net, year))
  return { used, carried: carried - used, taxable: net - used }
}

/** The German carryforward (≥ 0) into the year after `years` (oldest first; `short` holds the private-sale net). */
export function deCarryforward(years: readonly YearNet[], freigrenzeOf: (year: number) => bigint, start: bigint): bigint {
  let carried = start
  for (const y of years) carried = deYear(y.short, carried, freigrenzeOf(y.year), y.year).carried
  return carried
}

import type { TaxLine } from '../api/schemas/tax'

// Where a US line goes on Form 8949: Part I (short term: held one year or less) or Part II (long term:
// held more than one year), and the box checked at the top of that part. This report is prepared from the
// ledger, not from a broker's statement, so it takes the "not reported to you" box: C / F before 2025
// ("not reported on Form 1099-B"); from 2025, when digital assets have boxes of their own (G–L) and
// brokers file Form 1099-DA, I / L ("not reported to you on Form 1099-DA"). Boxes G, H (short) and J, K
// (long) are for transactions on a 1099-DA: a user who received one checks the box it names.

export type Form8949Part = 'I' | 'II'
export type Form8949Box = 'C' | 'F' | 'I' | 'L'

/** The first tax year with Form 8949's digital-asset boxes (G–L) and Form 1099-DA. */
export const DIGITAL_ASSET_BOXES_FROM = 2025

/** A line's part and box; a line without a known acquisition date counts as short term, as the report does. */
export function form8949Of(year: number, term: TaxLine['term']): { part: Form8949Part; box: Form8949Box } {
  const long = term === 'long'
  const digital = year >= DIGITAL_ASSET_BOXES_FROM
  return long ? { part: 'II', box: digital ? 'L' : 'F' } : { part: 'I', box: digital ? 'I' : 'C' }
}

/** The part's heading, as the form words it. */
export function partTitle(part: Form8949Part): string {
  return part === 'I' ? 'Part I — Short-term (held one year or less)' : 'Part II — Long-term (held more than one year)'
}

/** The box's words on the form of that year. */
export function boxTitle(box: Form8949Box): string {
  const term = box === 'C' || box === 'I' ? 'Short-term' : 'Long-term'
  const form = box === 'C' || box === 'F' ? 'Form 1099-B' : 'Form 1099-DA'
  return `Box ${box}: ${term} transactions not reported to you on ${form}`
}

/** The lines grouped by part (Part I first), each part's lines in the order given (time order). */
export function byPart<T extends Pick<TaxLine, 'term'>>(lines: readonly T[]): { part: Form8949Part; lines: T[] }[] {
  const short = lines.filter((l) => l.term !== 'long')
  const long = lines.filter((l) => l.term === 'long')
  return [
    { part: 'I' as const, lines: short },
    { part: 'II' as const, lines: long },
  ].filter((p) => p.lines.length > 0)
}

/** What the report says about its boxes (a note on the screen, the PDF and the command line). */
export function boxNote(year: number): string {
  const short = form8949Of(year, 'short').box
  const long = form8949Of(year, 'long').box
  const form = year >= DIGITAL_ASSET_BOXES_FROM ? 'Form 1099-DA' : 'Form 1099-B'
  const theirs = year >= DIGITAL_ASSET_BOXES_FROM ? ' (G or H for short term, J or K for long term)' : ' (A or B for short term, D or E for long term)'
  return `Form 8949: short-term lines go in Part I, long-term in Part II, under box ${short} and box ${long} (not reported to you on ${form}), as for a report made from your own records. If a broker sent you a ${form} for these disposals, check the box against it${theirs}.`
}

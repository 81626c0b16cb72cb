// Money in a tax report: whole cents (pence), as BigInt. Ledger amounts (BigInt at 18 decimal places) are
// rounded to the cent half away from zero — the commercial rounding tax forms expect.

const PER_CENT = 10n ** 16n

/** A ledger amount (scaled by 10^18) to cents, rounded half away from zero. */
export function cents(n: bigint): bigint {
  const neg = n < 0n
  const abs = neg ? -n : n
  const q = abs / PER_CENT
  const r = abs % PER_CENT
  const rounded = r * 2n >= PER_CENT ? q + 1n : q
  return neg ? -rounded : rounded
}

/** Cents as text with two decimals: 123456 → "1234.56", -5 → "-0.05". */
export function moneyText(c: bigint): string {
  const neg = c < 0n
  const abs = neg ? -c : c
  return `${neg ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`
}

/** moneyText's inverse ("1234.56" → 123456). */
export function parseMoney(text: string): bigint {
  const neg = text.startsWith('-')
  const [whole, frac = ''] = (neg ? text.slice(1) : text).split('.')
  const v = BigInt(whole as string) * 100n + BigInt(frac.padEnd(2, '0').slice(0, 2))
  return neg ? -v : v
}

/** Money text with thousands grouped, for reading: "1234567.89" → "1,234,567.89". */
export function groupedMoney(text: string): string {
  const [whole, frac] = text.split('.')
  return `${(whole as string).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac !== undefined ? `.${frac}` : ''}`
}

import type { TaxIncome, TaxIncomeLine } from '../api/schemas/tax'
import { fixedArith as ar } from '../portfolio/arith'
import type { IncomeFlow } from './flows'
import { cents, groupedMoney, moneyText } from './money'
import type { JurisdictionRules } from './rules'

// A tax year's income from the ledger: assets received as earnings (staking and other rewards, interest,
// airdrops), each at its value in the report's currency when it arrived (the portfolio's valuation, so the
// coins' cost basis in the capital gains part is the same figure). The rules:
//  - US: ordinary income at fair market value when received (staking: Rev. Rul. 2023-14).
//  - UK: miscellaneous income (or trading income) at the pound value then; the coins join the pool at it.
//  - DE: § 22 Nr. 3 EStG, a Freigrenze of 256 € a year (under it all tax-free; at or above it all taxable).

const DE_FREIGRENZE_22 = 25_600n // 256.00 EUR

export function incomeOf(
  flows: readonly IncomeFlow[],
  rules: JurisdictionRules,
  start: number,
  end: number,
  lineLimit: number,
  memoOf: (flow: IncomeFlow) => string | null = () => null,
): { income: TaxIncome; lines: TaxIncomeLine[] } {
  const lines: TaxIncomeLine[] = []
  let total = 0n
  for (const f of flows) {
    if (f.t < start || f.t > end) continue
    const value = cents(f.value)
    total += value
    lines.push({ asset: f.asset, amount: ar.format(f.amount), receivedAt: f.t, value: moneyText(value), account: f.account, what: memoOf(f) })
  }
  const m = (c: bigint) => `${groupedMoney(moneyText(c))} ${rules.currency}`
  const notes: string[] = []
  let taxable = total
  let allowance: TaxIncome['allowance'] = null
  if (lines.length > 0) {
    if (rules.id === 'us') {
      notes.push(`Income ${m(total)}: ordinary income at its fair market value when received (staking rewards: Rev. Rul. 2023-14), reported apart from capital gains (Schedule 1, or Schedule C for a business). That value is the coins' cost basis.`)
    } else if (rules.id === 'uk') {
      notes.push(`Income ${m(total)}: miscellaneous income (or trading income, if it is a trade) at its pound value when received; the coins join the Section 104 pool at that value. The £1,000 trading and miscellaneous income allowance may cover it.`)
    } else {
      allowance = { label: 'Freigrenze (§ 22 Nr. 3 EStG)', amount: moneyText(DE_FREIGRENZE_22) }
      taxable = total >= DE_FREIGRENZE_22 ? total : 0n
      notes.push(
        `Income ${m(total)}: other income (§ 22 Nr. 3 EStG) at its euro value when received; under the Freigrenze of 256 EUR a year (all such income, not only crypto) tax-free in full, at or above it taxable in full. The coins count as acquired then, at that value.`,
      )
    }
  }
  // Airdrops are named, not reclassified: whether one is income turns on what was done for it, which the
  // ledger cannot know. The UK and Germany treat one received for nothing as no income.
  const airdrops = lines.filter((l) => /airdrop/i.test(l.what ?? ''))
  if (airdrops.length > 0 && rules.id !== 'us') {
    const value = airdrops.reduce((n, l) => n + cents(ar.parse(l.value)), 0n)
    const count = airdrops.length === 1 ? '1 line' : `${airdrops.length} lines`
    notes.push(
      rules.id === 'uk'
        ? `Check ${count} named airdrops (${m(value)}, counted above): an airdrop received without doing anything in return is not income (HMRC Cryptoassets Manual, CRYPTO21250); one received for a service is.`
        : `Check ${count} named airdrops (${m(value)}, counted above): an airdrop received without anything given in return is not § 22 Nr. 3 income (BMF letter of 10 May 2022); one received for a service is, and counts toward the Freigrenze.`,
    )
  }
  return {
    income: { total: moneyText(total), count: lines.length, allowance, taxable: moneyText(taxable), lines: lines.slice(0, lineLimit), notes },
    lines,
  }
}

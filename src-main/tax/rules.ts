import type { Jurisdiction, TaxMethod, TaxPooling } from '../api/schemas/tax'
import { startOfDay, type Day, type MonthEnd } from './calendar'

// What each jurisdiction decides: the currency gains are reckoned in, the tax year, which matching methods
// apply, whether the holding period matters, and the year's allowance. Figures are the published ones; a
// year outside a table takes its nearest year's figure, and the report names the figure it used.

export interface JurisdictionRules {
  id: Jurisdiction
  name: string
  /** The currency the ledger is valued in for this report (USD counts USDT, USDC and BUSD as 1). */
  currency: 'USD' | 'GBP' | 'EUR'
  zone: string
  methods: readonly TaxMethod[]
  /** Why a method the app knows does not apply here (said when it is asked for). */
  refusedMethods?: Partial<Record<TaxMethod, string>>
  defaultMethod: TaxMethod
  poolings: readonly TaxPooling[]
  /** How cost is pooled unless asked otherwise, by tax year. */
  defaultPooling(year: number): TaxPooling
  /** True where gains split into short and long term at one year's holding (US, DE). */
  holdingPeriod: boolean
  /** Where a year's holding from a month's last day ends (calendar.ts). */
  monthEnd: MonthEnd
  /** The tax year's first day. */
  yearStart(year: number): Day
  yearLabel(year: number): string
  allowance(year: number): { label: string; amount: string } | null
}

/** The UK's annual exempt amount for individuals, by the year the tax year starts in. */
const UK_EXEMPT: readonly [number, string][] = [
  [2009, '10100'],
  [2011, '10600'],
  [2013, '10900'],
  [2014, '11000'],
  [2015, '11100'],
  [2017, '11300'],
  [2018, '11700'],
  [2019, '12000'],
  [2020, '12300'],
  [2023, '6000'],
  [2024, '3000'],
]

/** Germany's Freigrenze for private sales (§ 23 Abs. 3 Satz 5 EStG): under it, the year's gain is tax-free. */
const DE_FREIGRENZE: readonly [number, string][] = [
  [2009, '600'],
  [2024, '1000'],
]

/** The figure in force in `year`: the last entry starting at or before it (the first entry before the table). */
function inForce(table: readonly [number, string][], year: number): string {
  let value = (table[0] as [number, string])[1]
  for (const [from, v] of table) if (from <= year) value = v
  return value
}

const RULES: Record<Jurisdiction, JurisdictionRules> = {
  us: {
    id: 'us',
    name: 'United States',
    currency: 'USD',
    zone: 'America/New_York',
    // LIFO and HIFO are specific identification (adequately identified units); average cost is allowed for
    // mutual fund shares only (Treas. Reg. § 1.1012-1(e)), not for crypto.
    methods: ['fifo', 'lifo', 'hifo'],
    refusedMethods: { average: 'US rules allow average cost for mutual fund shares only (Treas. Reg. § 1.1012-1(e)), not for digital assets' },
    defaultMethod: 'fifo',
    poolings: ['per-account', 'universal'],
    // Rev. Proc. 2024-28: from 1 January 2025 basis is tracked wallet by wallet (account by account).
    defaultPooling: (y) => (y >= 2025 ? 'per-account' : 'universal'),
    holdingPeriod: true,
    // Rev. Rul. 66-7: bought on a month's last day, held more than a year from the 1st of the 13th month.
    monthEnd: 'month-end',
    yearStart: (y) => ({ y, m: 1, d: 1 }),
    yearLabel: (y) => String(y),
    allowance: () => null,
  },
  uk: {
    id: 'uk',
    name: 'United Kingdom',
    currency: 'GBP',
    zone: 'Europe/London',
    methods: ['hmrc'],
    defaultMethod: 'hmrc',
    // HMRC pools all of a person's holdings of one cryptoasset, wherever they are held.
    poolings: ['universal'],
    defaultPooling: () => 'universal',
    holdingPeriod: false,
    monthEnd: 'date',
    yearStart: (y) => ({ y, m: 4, d: 6 }),
    yearLabel: (y) => `${y}/${String((y + 1) % 100).padStart(2, '0')}`,
    allowance: (y) => ({ label: 'Annual exempt amount', amount: inForce(UK_EXEMPT, y) }),
  },
  de: {
    id: 'de',
    name: 'Germany',
    currency: 'EUR',
    zone: 'Europe/Berlin',
    methods: ['fifo', 'lifo', 'hifo', 'average'],
    defaultMethod: 'fifo',
    poolings: ['universal', 'per-account'],
    // The BMF letter of 10 May 2022 (Rz. 61) applies FIFO wallet by wallet: one pool only when chosen.
    defaultPooling: () => 'per-account',
    holdingPeriod: true,
    // § 188 Abs. 2 BGB: the year ends on the same date (28 February → 28 February).
    monthEnd: 'date',
    yearStart: (y) => ({ y, m: 1, d: 1 }),
    yearLabel: (y) => String(y),
    allowance: (y) => ({ label: 'Freigrenze (§ 23 EStG)', amount: inForce(DE_FREIGRENZE, y) }),
  },
}

export function rulesFor(jurisdiction: Jurisdiction): JurisdictionRules {
  return RULES[jurisdiction]
}

/** The tax year's first and last moment (ms, inclusive) in `zone`. */
export function yearBounds(rules: JurisdictionRules, year: number, zone: string): { start: number; end: number } {
  return { start: startOfDay(rules.yearStart(year), zone), end: startOfDay(rules.yearStart(year + 1), zone) - 1 }
}

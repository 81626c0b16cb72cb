import { fileExportSchema } from './files'
import { z } from 'zod'

// Tax: capital gains reports from the ledger — each disposal of a crypto asset matched to the acquisitions
// it came from, under one jurisdiction's rules (US, UK, DE) and cost-basis method, for one tax year; and the
// same report as CSV or PDF. Money in the report is in the jurisdiction's currency, to the cent.

export const jurisdictionSchema = z.enum(['us', 'uk', 'de'])
/** fifo/lifo/hifo/average: lot matching; 'hmrc': the UK's same-day, 30-day and Section 104 pool rules. */
export const taxMethodSchema = z.enum(['fifo', 'lifo', 'hifo', 'average', 'hmrc'])
/** One pool per asset across the accounts reported, or one per account (wallet by wallet). */
export const taxPoolingSchema = z.enum(['universal', 'per-account'])

/** An IANA time zone the engine's Intl knows (decides which day, and so which tax year, a trade falls on). */
const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone })
      return true
    } catch {
      return false
    }
  }, 'is not a time zone this system knows (e.g. America/New_York)')

const viewSchema = z.string().min(1).max(100)

export const taxReportInputSchema = z
  .object({
    jurisdiction: jurisdictionSchema,
    /** The tax year: for the UK, the year it starts in (2024 → 6 April 2024 to 5 April 2025). */
    year: z.number().int().min(2009).max(2100),
    /** Default: the jurisdiction's usual method (US and DE: fifo; UK: hmrc, its only one). */
    method: taxMethodSchema.optional(),
    /** Default: the jurisdiction's for the year (US: per account from 2025, Rev. Proc. 2024-28; else universal). */
    pooling: taxPoolingSchema.optional(),
    /** Default: the jurisdiction's (US: America/New_York, UK: Europe/London, DE: Europe/Berlin). */
    timeZone: timeZoneSchema.optional(),
    /** One ledger account only; default every account of the user's (never the simulated traders' nor a paper account). */
    account: z.string().min(1).max(200).optional(),
    /** The report's lines are capped at this many (the summary always covers all). Exports carry all. */
    lineLimit: z.number().int().min(1).max(100_000).default(2_000),
    /**
     * The screen asking (an id it picks): a newer report for the same view stops the older one, which ends
     * with CANCELED "superseded by a newer request"; tax.cancel stops it too. Without one, nothing supersedes it.
     */
    view: viewSchema.optional(),
  })
  .strict()

export const taxExportInputSchema = taxReportInputSchema.omit({ lineLimit: true, view: true }).extend({ format: z.enum(['csv', 'pdf']) }).strict()

const money = z.string()

export const taxLineSchema = z.object({
  asset: z.string(),
  /** Units disposed in this line (one disposal can be several lines, one per lot or rule it matched). */
  amount: z.string(),
  /** When the matched units were acquired (ms); null for the UK's Section 104 pool or a missing cost basis. */
  acquiredAt: z.number().int().nullable(),
  disposedAt: z.number().int(),
  proceeds: money,
  cost: money,
  gain: money,
  /** 'long' when held more than a year (US, DE); null where the holding period does not matter (UK). */
  term: z.enum(['short', 'long']).nullable(),
  /** How the units were matched: the method, or the HMRC rule. */
  rule: z.enum(['fifo', 'lifo', 'hifo', 'average', 'same-day', 'bed-and-breakfast', 'section-104', 'no-cost-basis']),
  /** A trade, or a fee paid in the asset (a disposal too). */
  cause: z.enum(['trade', 'fee']),
  /** The ledger account the disposal happened in. */
  account: z.string(),
  /** Numbers the lines of one disposal alike (the UK sums gains per disposal). */
  disposal: z.number().int(),
  /**
   * Its cost or proceeds count 0 for something that had no price when it happened (the coins were acquired
   * through, or sold in, a trade the ledger could not value); absent when all was priced.
   */
  unpriced: z.literal(true).optional(),
})

const sumsSchema = z.object({ disposals: z.number().int(), proceeds: money, cost: money, gain: money })
const carriedSchema = z.object({ short: money.nullable(), long: money.nullable(), total: money })

export const taxWarningSchema = z.object({
  kind: z.enum(['missing-cost-basis', 'unmatched-deposit', 'unpriced-deposit', 'unpriced-asset', 'unpriced-income', 'unpriced-fee', 'unpriced-transfer-fee', 'stale-price']),
  asset: z.string(),
  account: z.string(),
  timestamp: z.number().int(),
  message: z.string(),
  count: z.number().int().optional(),
  amount: z.string().optional(),
})

/** An asset received as income (staking and other rewards, interest, airdrops), at its value then. */
export const taxIncomeLineSchema = z.object({
  asset: z.string(),
  amount: z.string(),
  receivedAt: z.number().int(),
  value: money,
  account: z.string(),
  /** What it was, in its source's words ("ETH 2.0 Staking", "airdrop"); null when the source did not say. */
  what: z.string().nullable(),
})

export const taxIncomeSchema = z.object({
  /** Income received in the tax year, each valued in the report's currency when it arrived. */
  total: money,
  count: z.number().int(),
  /** DE: the § 22 Nr. 3 EStG Freigrenze (256 €); null elsewhere. */
  allowance: z.object({ label: z.string(), amount: money }).nullable(),
  /** The income the rules make taxable (US, UK: all of it, as ordinary / miscellaneous income). */
  taxable: money,
  /** The year's income lines, oldest first, at most the report's lineLimit of them. */
  lines: z.array(taxIncomeLineSchema),
  notes: z.array(z.string()),
})

export const taxReportSchema = z.object({
  jurisdiction: jurisdictionSchema,
  /** "United States", "United Kingdom", "Germany". */
  jurisdictionName: z.string(),
  method: taxMethodSchema,
  /** The methods this jurisdiction's reports may use (the first is its usual one). */
  methods: z.array(taxMethodSchema),
  pooling: taxPoolingSchema,
  /** The poolings this jurisdiction's reports may use. */
  poolings: z.array(taxPoolingSchema),
  currency: z.string(),
  timeZone: z.string(),
  year: z.number().int(),
  /** "2025", or "2024/25" for a UK tax year. */
  yearLabel: z.string(),
  /** The tax year's first and last moment (ms, inclusive) in its time zone. */
  start: z.number().int(),
  end: z.number().int(),
  account: z.string().nullable(),
  summary: z.object({
    all: sumsSchema,
    short: sumsSchema.nullable(),
    long: sumsSchema.nullable(),
    /**
     * Sum of the disposals that made a gain, and of those that made a loss (as a negative number); DE:
     * private sales only (lines held up to a year), so that gains and losses add up to `net`.
     */
    gains: money,
    losses: money,
    /** The year's allowance: the UK's annual exempt amount, Germany's Freigrenze for private sales. */
    allowance: z.object({ label: z.string(), amount: money }).nullable(),
    /** The gain the rules make taxable (never below 0; a net loss shows as 0 and in `net`). */
    taxable: money,
    /** The net gain the taxable figure starts from (all; DE: short-term only). */
    net: money,
    /**
     * Losses brought in from earlier tax years of this ledger (≤ 0; US by term), applied to `taxable`; null
     * when none (DE: not applied, named in the notes).
     */
    carriedIn: carriedSchema.nullable(),
    /** Losses this year leaves to the next (≤ 0; US by term); null when none. */
    carriedOut: carriedSchema.nullable(),
    /** US: the part of a net capital loss that offsets other income this year (at most 3,000 USD); null elsewhere. */
    deductible: money.nullable(),
    /** How the figures were reached, worded by the engine for the screen and the PDF. */
    notes: z.array(z.string()),
    /** Why the figures cannot be trusted as they are (trades that had no price in the currency); null when complete. */
    incomplete: z.string().nullable(),
  }),
  lines: z.array(taxLineSchema),
  /** How many lines the year has (lines holds at most lineLimit of them). */
  lineCount: z.number().int(),
  /** Income received in the year: not a capital gain; its coins' cost basis is their value then. */
  income: taxIncomeSchema,
  warnings: z.array(taxWarningSchema),
  /**
   * Paper accounts (the simulated exchange's 'sim', every 'paper:<n>') with entries in the ledger, which a
   * report over all accounts leaves out (practice, not gains to declare); empty when an account is named.
   */
  paperLeftOut: z.array(z.object({ account: z.string(), label: z.string() })),
  /** The named account is a paper account: its report is of practice trades, not one to file. */
  paperAccount: z.boolean(),
  generatedAt: z.number().int(),
})

export const taxExportSchema = fileExportSchema

/** A loss as the user's tax return states it: a positive amount, at most two decimals. */
const lossAmount = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{1,2})?$/, 'is a loss written as a positive amount with at most two decimals, e.g. 5000 or 1234.56')
const carryYear = z.number().int().min(2009).max(2100)
const nonZero = (amounts: (string | undefined)[]) => amounts.some((a) => a !== undefined && /[1-9]/.test(a))
const byTermOnly = z.never({ error: 'US losses carry by term: give shortTerm and longTerm instead' }).optional()
const oneAmount = z.never({ error: 'UK and German losses carry as one amount: give amount (only US losses carry by term)' }).optional()
const ZERO_CARRY = 'all amounts are zero: to stop carrying losses in, clear the entry instead'

/**
 * Losses carried in from before the ledger, as the last tax return states them, for the first tax year
 * they enter (`year`): US Schedule D's carryover by term; the UK's allowable losses brought forward; DE's
 * loss carryforward for private sales as the tax office recorded it (Verlustfeststellung). Reports from
 * that year on start from it instead of reckoning the ledger's earlier years.
 */
export const taxCarryInSetSchema = z
  .discriminatedUnion('jurisdiction', [
    z.object({ jurisdiction: z.literal('us'), year: carryYear, shortTerm: lossAmount, longTerm: lossAmount, amount: byTermOnly }).strict(),
    z.object({ jurisdiction: z.literal('uk'), year: carryYear, amount: lossAmount, shortTerm: oneAmount, longTerm: oneAmount }).strict(),
    z.object({ jurisdiction: z.literal('de'), year: carryYear, amount: lossAmount, shortTerm: oneAmount, longTerm: oneAmount }).strict(),
  ])
  .superRefine((v, ctx) => {
    const amounts = v.jurisdiction === 'us' ? [v.shortTerm, v.longTerm] : [v.amount]
    if (!nonZero(amounts)) ctx.addIssue({ code: 'custom', path: [v.jurisdiction === 'us' ? 'shortTerm' : 'amount'], message: ZERO_CARRY })
  })

export const taxCarryInSchema = z.object({
  jurisdiction: jurisdictionSchema,
  year: z.number().int(),
  /** The total loss carried in (≥ 0; US: both terms). */
  amount: money,
  /** US only: the carryover by term; null elsewhere. */
  shortTerm: money.nullable(),
  longTerm: money.nullable(),
  updatedAt: z.number().int(),
})

export const taxCommands = {
  'tax.report': { input: taxReportInputSchema, output: taxReportSchema },
  'tax.export': { input: taxExportInputSchema, output: taxExportSchema },
  /** Stops the view's report still computing (it ends with CANCELED); `canceled` is false when none was. */
  'tax.cancel': { input: z.object({ view: viewSchema }).strict(), output: z.object({ canceled: z.boolean() }) },
  'tax.carryInList': { input: z.object({}).strict(), output: z.object({ entries: z.array(taxCarryInSchema) }) },
  'tax.carryInSet': { input: taxCarryInSetSchema, output: taxCarryInSchema },
  'tax.carryInClear': { input: z.object({ jurisdiction: jurisdictionSchema }).strict(), output: z.object({ jurisdiction: jurisdictionSchema, cleared: z.boolean() }) },
} as const

export type Jurisdiction = z.infer<typeof jurisdictionSchema>
export type TaxMethod = z.infer<typeof taxMethodSchema>
export type TaxPooling = z.infer<typeof taxPoolingSchema>
export type TaxReportInput = z.input<typeof taxReportInputSchema>
export type TaxReportQuery = z.output<typeof taxReportInputSchema>
export type TaxExportInput = z.input<typeof taxExportInputSchema>
export type TaxLine = z.infer<typeof taxLineSchema>
export type TaxSums = z.infer<typeof sumsSchema>
export type TaxWarning = z.infer<typeof taxWarningSchema>
export type TaxReport = z.infer<typeof taxReportSchema>
export type TaxIncome = z.infer<typeof taxIncomeSchema>
export type TaxIncomeLine = z.infer<typeof taxIncomeLineSchema>
export type TaxExport = z.infer<typeof taxExportSchema>
export type TaxCarryInInput = z.input<typeof taxCarryInSetSchema>
export type TaxCarryIn = z.infer<typeof taxCarryInSchema>

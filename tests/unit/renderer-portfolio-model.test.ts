import { describe, expect, it } from 'vitest'
import {
  accountOptions,
  answers,
  applySync,
  describeImportError,
  describeImport,
  earlierHistoryFrom,
  guessFormat,
  historyFrom,
  importErrorLine,
  newerView,
  pnlClass,
  portfolioQuery,
  SCOPE_ALL,
  SCOPE_MINE,
  SCOPE_TRADERS,
  positionKey,
  priceDecimals,
  sortPositions,
  sortWarnings,
  stepPeriod,
  suggestAccountName,
  syncFraction,
  syncLabel,
  type LedgerAccountView,
  type PortfolioView,
  type PositionView,
  type SyncStatus,
} from '../../src-renderer/features/portfolio/portfolioModel'

const view = (patch: Partial<PortfolioView> = {}): PortfolioView => ({
  at: 1_000,
  account: null,
  scope: 'mine',
  period: '24h',
  periodStart: 0,
  method: 'fifo',
  currency: 'USDT',
  totals: { value: '0', costBasis: '0', realized: '0', realizedInPeriod: '0', unrealized: '0', change: '0', changePct: null, netDeposits: '0', pnl: '0', pnlPct: null },
  accounts: [],
  positions: [],
  assets: [],
  allocation: [],
  warnings: [],
  ...patch,
})

const position = (asset: string, value: string | null, account = 'sim'): PositionView => ({
  account,
  asset,
  amount: '1',
  costBasis: '1',
  averageCost: '1',
  price: value,
  value,
  unrealized: value === null ? null : '0',
  realized: '0',
  realizedInPeriod: '0',
  changePct: null,
  missingCostBasis: '0',
})

const status = (patch: Partial<SyncStatus> = {}): SyncStatus => ({
  account: 'binance:main',
  state: 'running',
  phase: 'trades',
  done: 3,
  total: 12,
  fetched: 250,
  inserted: 40,
  startedAt: 1,
  finishedAt: null,
  lastSyncedAt: null,
  historyFrom: null,
  skipped: {},
  error: null,
  ...patch,
})

describe('period filter', () => {
  it('arrows move through 24h, 7d, 30d, year, all and wrap; Home and End jump', () => {
    expect(stepPeriod('24h', 'ArrowRight')).toBe('7d')
    expect(stepPeriod('all', 'ArrowRight')).toBe('24h')
    expect(stepPeriod('24h', 'ArrowLeft')).toBe('all')
    expect(stepPeriod('30d', 'ArrowUp')).toBe('7d')
    expect(stepPeriod('30d', 'Home')).toBe('24h')
    expect(stepPeriod('7d', 'End')).toBe('all')
    expect(stepPeriod('7d', 'Enter')).toBeNull()
  })

  it('asks for one account, the simulated traders, everything, or by default my accounts (the engine\'s default scope)', () => {
    expect(portfolioQuery('30d', SCOPE_MINE)).toEqual({ period: '30d' })
    expect(portfolioQuery('year', 'sim')).toEqual({ period: 'year', account: 'sim' })
    expect(portfolioQuery('7d', SCOPE_TRADERS)).toEqual({ period: '7d', scope: 'traders' })
    expect(portfolioQuery('7d', SCOPE_ALL)).toEqual({ period: '7d', scope: 'all' })
  })
})

describe('which P&L view to keep', () => {
  it('drops a view for another period or account (an answer to an old question)', () => {
    const shown = view({ period: '7d', at: 5 })
    expect(newerView(shown, view({ period: '24h', at: 9 }), '7d', '')).toBe(shown)
    expect(newerView(shown, view({ period: '7d', account: 'sim', at: 9 }), '7d', '')).toBe(shown)
    expect(answers(view({ account: 'sim' }), '24h', 'sim')).toBe(true)
    expect(answers(view({ account: null }), '24h', 'sim')).toBe(false)
    // My accounts, the traders and everything are three different questions.
    expect(answers(view({ scope: 'traders' }), '24h', SCOPE_TRADERS)).toBe(true)
    expect(answers(view({ scope: 'traders' }), '24h', SCOPE_MINE)).toBe(false)
    expect(answers(view({ scope: 'all' }), '24h', SCOPE_TRADERS)).toBe(false)
    expect(answers(view({ scope: 'mine' }), '24h', SCOPE_MINE)).toBe(true)
  })

  it('keeps a live view computed later than a summary reply that arrives after it', () => {
    const live = view({ at: 2_000 })
    const lateReply = view({ at: 1_500 })
    expect(newerView(live, lateReply, '24h', '')).toBe(live)
    const next = view({ at: 2_250 })
    expect(newerView(live, next, '24h', '')).toBe(next)
  })

  it('replaces a view of the previous period whatever its time', () => {
    const old = view({ period: '24h', at: 9_999 })
    const fresh = view({ period: '30d', at: 1 })
    expect(newerView(old, fresh, '30d', '')).toBe(fresh)
  })
})

describe('positions', () => {
  it('lists the largest value first, compared exactly, unpriced assets last', () => {
    const rows = sortPositions([
      position('DOGE', null),
      position('ETH', '999.99999999'),
      position('BTC', '1000.00000001'),
      position('ADA', null),
      position('SOL', '1000.00000001', 'sim:trader:gus'),
    ])
    expect(rows.map((r) => `${r.asset}@${r.account}`)).toEqual(['BTC@sim', 'SOL@sim:trader:gus', 'ETH@sim', 'ADA@sim', 'DOGE@sim'])
  })

  it('keys a row by account and asset (the same asset on two accounts is two rows)', () => {
    expect(positionKey(position('BTC', '1', 'a'))).not.toBe(positionKey(position('BTC', '1', 'b')))
  })

  it('colours gains, losses and zero by the exact sign', () => {
    expect(pnlClass('0.00000001')).toBe('pos')
    expect(pnlClass('-0.01')).toBe('neg')
    expect(pnlClass('-0.000')).toBe('')
    expect(pnlClass(null)).toBe('')
  })

  it('shows prices with at least two decimals and about six significant digits', () => {
    expect(priceDecimals('43251.123456789')).toBe(2)
    expect(priceDecimals('12.3456789')).toBe(4)
    expect(priceDecimals('0.5')).toBe(6)
    expect(priceDecimals('0.000012345678')).toBe(10)
    expect(priceDecimals('0')).toBe(2)
  })
})

describe('account filter', () => {
  it('offers every ledger account, then any the P&L names that the list lacks, then the chosen one; simulated traders apart', () => {
    const ledger = [
      { account: 'sim', label: 'Simulated exchange', kind: 'sim' as const },
      { account: 'sim:trader:gus', label: 'Trader: Grid Gus', kind: 'trader' as const },
    ]
    const pnl = [
      { account: 'sim', label: 'Paper' },
      { account: 'binance:main', label: 'Binance main' },
    ]
    expect(accountOptions(ledger, pnl, 'import:old')).toEqual({
      mine: [
        { value: 'sim', label: 'Simulated exchange' },
        { value: 'binance:main', label: 'Binance main' },
        { value: 'import:old', label: 'import:old' },
      ],
      traders: [{ value: 'sim:trader:gus', label: 'Trader: Grid Gus' }],
    })
    // A scope is a choice of its own, never listed as an account.
    expect(accountOptions([], [], SCOPE_TRADERS)).toEqual({ mine: [], traders: [] })
    expect(accountOptions([], [], SCOPE_MINE)).toEqual({ mine: [], traders: [] })
  })
})

describe('history sync', () => {
  it('gives the progress bar a fraction, or none while the total is unknown', () => {
    expect(syncFraction({ done: 3, total: 12 })).toBe(0.25)
    expect(syncFraction({ done: 0, total: 0 })).toBeNull()
    expect(syncFraction({ done: 14, total: 12 })).toBe(1)
  })

  it('says where a sync is', () => {
    expect(syncLabel(status())).toBe('trades 3 / 12 · 250 fetched, 40 new')
    expect(syncLabel(status({ phase: 'markets', total: 0, done: 0 }))).toBe('finding markets · 250 fetched, 40 new')
    expect(syncLabel(status({ state: 'failed', error: 'Invalid API-key' }))).toBe('failed: Invalid API-key')
    expect(syncLabel(status({ state: 'interrupted' }))).toBe('interrupted at 3 / 12 (Sync resumes)')
    expect(syncLabel(status({ state: 'done', phase: 'done' }))).toBe('done · 250 fetched, 40 new')
    expect(syncLabel(status({ phase: 'conversions' }))).toBe('conversions 3 / 12 · 250 fetched, 40 new')
    expect(syncLabel(status({ state: 'done', skipped: { 'debit (reward record)': 1, 'token swap (reward record)': 2 } }))).toBe(
      'done · 250 fetched, 40 new · not read: 2 × token swap (reward record), 1 × debit (reward record)',
    )
  })

  it('reads the first sync’s "history from" as UTC midnight, empty as everything, and refuses days that cannot be', () => {
    const now = Date.UTC(2026, 10, 23, 9, 30)
    expect(historyFrom('', now)).toEqual({ since: undefined })
    expect(historyFrom('2025-11-01', now)).toEqual({ since: Date.UTC(2025, 10, 1) })
    expect(historyFrom('2026-11-23', now)).toEqual({ since: Date.UTC(2026, 10, 23) })
    expect(historyFrom('2026-11-24', now)).toEqual({ error: expect.stringMatching(/has begun/) })
    expect(historyFrom('2008-12-31', now)).toEqual({ error: expect.stringMatching(/from 2009-01-03 on/) })
    expect(historyFrom('2025-02-30', now)).toEqual({ error: expect.stringMatching(/not a date/) })
    expect(historyFrom('yesterday', now)).toEqual({ error: expect.stringMatching(/"yesterday" is not a date/) })
  })

  it('on an account already synced from a day, takes only an earlier one (what is stored stays)', () => {
    const now = Date.UTC(2026, 10, 23, 9, 30)
    const syncedFrom = Date.UTC(2026, 9, 1)
    expect(earlierHistoryFrom('2026-03-01', now, syncedFrom)).toEqual({ since: Date.UTC(2026, 2, 1) })
    expect(earlierHistoryFrom('2026-10-01', now, syncedFrom)).toEqual({ error: 'Choose a day before 2026-10-01: the history is synced from there already.' })
    expect(earlierHistoryFrom('2026-11-01', now, syncedFrom)).toEqual({ error: expect.stringMatching(/before 2026-10-01/) })
    expect(earlierHistoryFrom('', now, syncedFrom)).toEqual({ error: expect.stringMatching(/before 2026-10-01/) })
    expect(earlierHistoryFrom('2008-12-31', now, syncedFrom)).toEqual({ error: expect.stringMatching(/from 2009-01-03 on/) })
  })

  it('applies a streamed status to its account only', () => {
    const base = (account: string): LedgerAccountView => ({
      account,
      label: account,
      kind: 'exchange',
      entries: 0,
      firstAt: null,
      lastAt: null,
      canSync: true,
      sync: null,
      historyStart: null,
    })
    const next = applySync([base('binance:main'), base('okx:x')], status({ done: 7 }))
    expect(next[0]!.sync?.done).toBe(7)
    expect(next[1]!.sync).toBeNull()
  })
})

describe('CSV import', () => {
  it('finds the line an engine refusal names', () => {
    expect(importErrorLine('line 3, column "amount": "abc" is not a number')).toBe(3)
    expect(importErrorLine('line 12: a sell larger than the holdings')).toBe(12)
    expect(importErrorLine('The file has no header row')).toBeNull()
  })

  it('shows the line first and the rest of the engine sentence without it, as a sentence', () => {
    expect(describeImportError('bad.csv: line 3, column "amount": "abc" is not a number; nothing was imported')).toEqual({
      line: 3,
      detail: 'bad.csv: column "amount": "abc" is not a number; nothing was imported.',
      fixLine: true,
    })
    expect(describeImportError('line 7: a date in an unknown format')).toEqual({ line: 7, detail: 'a date in an unknown format.', fixLine: true })
    expect(describeImportError('x.csv: the header lacks "amount"')).toEqual({ line: null, detail: 'x.csv: the header lacks "amount".', fixLine: false })
    expect(describeImportError('x.csv is empty.').detail).toBe('x.csv is empty.')
  })

  it('asks to fix the line only when it is a line of data, not the header', () => {
    const header = describeImportError('junk.csv: line 1: wrong header for a generic file: expected the columns timestamp,type (generic); found  PK (missing timestamp); nothing was imported')
    expect(header).toEqual({ line: 1, detail: 'junk.csv: wrong header for a generic file: expected the columns timestamp,type (generic); found  PK (missing timestamp); nothing was imported.', fixLine: false })
  })

  it('suggests an account name the engine accepts, from the file name', () => {
    expect(suggestAccountName('binance trades (2024).csv')).toBe('import:binance trades -2024')
    expect(suggestAccountName('kraken.csv')).toBe('import:kraken')
    expect(suggestAccountName('.csv')).toBe('')
    expect(suggestAccountName('x'.repeat(200) + '.csv').length).toBe(100)
    expect(/^[\w .:@-]+$/.test(suggestAccountName('weird/\\name?.csv'))).toBe(true)
  })

  it('guesses the format from the header line', () => {
    expect(guessFormat('timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id\n1,trade')).toBe('generic')
    expect(guessFormat('Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n')).toBe('binance')
    expect(guessFormat('"txid","ordertxid","pair","time","type"\n')).toBe('kraken')
    expect(guessFormat('Timestamp,Transaction Type,Asset,Quantity Transacted,Spot Price Currency\n')).toBe('coinbase')
    expect(guessFormat('"Transactions"\n"User,me"\n\nID,Timestamp,Transaction Type,Asset\n')).toBe('coinbase')
    expect(guessFormat('portfolio,trade id,product,side,created at,size\n')).toBe('coinbase')
    expect(guessFormat('Date(UTC),Market,Type,Price,Amount,Total,Fee,Fee Coin\n')).toBe('binance')
    expect(guessFormat('"User_ID","UTC_Time","Account","Operation","Coin","Change","Remark"\n')).toBe('binance')
    expect(guessFormat('"txid","refid","time","type","subtype","aclass","asset","wallet","amount","fee","balance"\n')).toBe('kraken')
    expect(guessFormat('a,b,c\n')).toBeNull()
  })
})

describe('the import toast', () => {
  it('says what was added and names what was not read, most rows first', () => {
    const result = { account: 'kr', format: 'kraken', layout: 'ledgers', rows: 16, inserted: 5, duplicates: 1, skipped: { spend: 1, trade: 2, 'earn (allocation)': 2 } } as const
    expect(describeImport(result, 'ledgers.csv')).toEqual({
      title: 'Imported 5 of 16 rows',
      body: 'ledgers.csv (ledgers) into kr, 1 already there. Not read: 2 × earn (allocation), 2 × trade, 1 × spend',
    })
    expect(describeImport({ ...result, duplicates: 0, skipped: {} }, 'a.csv').body).toBe('a.csv (ledgers) into kr')
  })
})

describe('warnings', () => {
  it('lists the newest first, keeping the engine order among equal times', () => {
    const w = (timestamp: number, asset: string) => ({ timestamp, asset })
    expect(sortWarnings([w(1, 'A'), w(5, 'B'), w(5, 'C'), w(3, 'D')]).map((x) => x.asset)).toEqual(['B', 'C', 'D', 'A'])
  })
})

import fs from 'node:fs'
import path from 'node:path'
import type { Page } from '@playwright/test'
import { test, expect } from './fixtures'
import { engineCall, openApp, type Reply } from './app-helpers'
import type { HeadlessProcess } from '../support/headless-process'
import { createBinanceFixture } from '../support/binance/fixture'

// The Portfolio page against a real headless engine and its simulated exchange: a paper buy shows up as a
// position with its P&L, live; the equity curve draws; the period changes by key (1–5) and by the arrows of
// the period control; a generic CSV imported through the dialog becomes a ledger account with its own P&L;
// a malformed file is refused with its line number and adds nothing; Kraken's ledgers export is recognised,
// the rows it does not read are named, and the file is taken back out.

interface Position {
  account: string
  asset: string
  amount: string
  averageCost: string | null
}
interface Summary {
  positions: Position[]
  assets: (Omit<Position, 'account'> & { accounts: number })[]
}
interface LedgerAccount {
  account: string
  entries: number
}

function value<T>(reply: Reply): T {
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`)
  return reply.value as T
}

/** The number as the screen shows it ('1,234.50' → 1234.5), for comparing with the engine's decimal string. */
const shown = (text: string) => Number(text.replace(/,/g, '').trim())

async function palette(page: Page, query: string, title: RegExp): Promise<void> {
  await page.keyboard.press('Control+K')
  await page.keyboard.type(query)
  await expect(page.getByTestId('command-palette').getByRole('option').first()).toContainText(title)
  await page.keyboard.press('Enter')
}

/** In the open import dialog: names the account (replacing what is there) and imports by Enter. */
async function importInto(page: Page, account: string): Promise<void> {
  await page.getByTestId('portfolio-import-account').focus()
  await page.keyboard.press('Control+A')
  await page.keyboard.type(account)
  await page.keyboard.press('Enter')
}

const ledgerAccounts = async (engine: HeadlessProcess) => value<LedgerAccount[]>(await engineCall(engine, 'portfolio.accounts', {}))

const GOOD_CSV = [
  'timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id',
  '2024-01-15T10:00:00Z,deposit,USDT,,,,1000,,,dep-1',
  '2024-01-15T10:23:45Z,trade,BTC,USDT,buy,40000,0.01,0.4,USDT,t-1',
  // More ETH sold than the file ever bought: a missing-cost-basis warning, not an error.
  '2024-01-16T08:00:00Z,trade,ETH,USDT,sell,2000,0.5,,,t-2',
  '',
].join('\n')

const BAD_CSV = [
  'timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id',
  '2024-02-01T09:00:00Z,deposit,USDT,,,,500,,,dep-9',
  '2024-02-01T09:05:00Z,trade,ETH,USDT,buy,2000,abc,,,t-9',
  '',
].join('\n')

test('Portfolio: live P&L of a paper buy, equity chart, periods, CSV import and a refused file, by keyboard', async ({ page, engine }) => {
  test.setTimeout(120_000)
  const problems = await openApp(page, engine)

  // A market buy on the paper account (the simulated exchange), sent by a second client of the engine.
  const order = value<{ clientOrderId: string }>(
    await engineCall(engine, 'orders.submit', { venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'market', size: { unit: 'base', value: '0.01' } }),
  )
  expect(order.clientOrderId).toBeTruthy()

  // Portfolio page (Mod+8); only the paper account, chosen from the palette's "show one account".
  await page.keyboard.press('Control+8')
  await expect(page.getByTestId('portfolio-page')).toBeVisible()
  await palette(page, 'portfolio account', /Portfolio: show my accounts, one account or the simulated traders/)
  const filter = page.getByTestId('portfolio-account-filter')
  await expect(filter).toBeFocused()
  // By default the page sums my accounts: the simulated traders' books are in the ledger, not in my totals.
  const accountRows = page.getByTestId('pnl-account-row')
  await expect(page.locator('[data-testid="pnl-account-row"][data-account="sim"]')).toBeVisible({ timeout: 20_000 })
  await expect(accountRows.filter({ hasText: 'Trader:' })).toHaveCount(0)
  // They have a choice of their own, and Enter on one of them (only that trader) goes back to that choice.
  await filter.selectOption('*traders')
  await expect(accountRows.filter({ hasText: 'Trader:' }).first()).toBeVisible({ timeout: 20_000 })
  await expect(page.locator('[data-testid="pnl-account-row"][data-account="sim"]')).toHaveCount(0)
  const traderCount = await accountRows.count()
  expect(traderCount).toBeGreaterThan(1)
  await accountRows.first().dblclick()
  await expect(accountRows).toHaveCount(1)
  await accountRows.first().dblclick()
  await expect(accountRows).toHaveCount(traderCount)
  await expect(filter).toHaveValue('*traders')
  await expect(filter.locator('option[value="sim"]')).toHaveCount(1)
  await filter.selectOption('sim')

  // The bought BTC is a position with the engine's amount, a price, a value and an unrealized P&L.
  const btcRow = page.locator('[data-testid="position-row"][data-asset="BTC"][data-account="sim"]')
  await expect(btcRow).toBeVisible({ timeout: 20_000 })
  const summary = value<Summary>(await engineCall(engine, 'portfolio.summary', { account: 'sim', period: '24h' }))
  const btc = summary.positions.find((p) => p.asset === 'BTC')!
  expect(btc).toBeDefined()
  expect(shown(await btcRow.getByTestId('position-amount').innerText())).toBe(Number(btc.amount))
  await expect(btcRow.getByTestId('position-price')).toHaveText(/^[\d,]+\.\d+$/)
  await expect(btcRow.getByTestId('position-value')).toHaveText(/^[\d,]+\.\d{2}$/)
  await expect(btcRow.getByTestId('position-unrealized')).toHaveText(/^[+-]?[\d,]+\.\d{2}$/)
  await expect(page.getByTestId('total-value')).toHaveText(/^[\d,]+\.\d{2}$/)
  await expect(page.locator('[data-testid="pnl-account-row"][data-account="sim"]')).toBeVisible()
  await expect(page.locator('[data-testid="allocation-row"][data-asset="BTC"]')).toBeVisible()
  await expect(page.getByTestId('portfolio-currency')).toHaveText(/^(USD|USDT|EUR|GBP)$/)

  // Live: the totals are recomputed as the simulated market moves (portfolio.live), without asking.
  const totals = page.getByTestId('portfolio-totals')
  const firstAt = Number(await totals.getAttribute('data-at'))
  await expect.poll(async () => Number(await totals.getAttribute('data-at')), { timeout: 20_000 }).toBeGreaterThan(firstAt)
  // P&L: the change less the money paid in (the paper balance's 10,000 USDT is a deposit, not a gain),
  // read from one render of the strip.
  const [change, deposits, pnl] = await totals.evaluate((el) =>
    ['total-change', 'total-net-deposits', 'total-pnl'].map((id) => (el.querySelector(`[data-testid="${id}"]`) as HTMLElement).innerText),
  )
  expect(pnl).toMatch(/^[+-]?[\d,]+\.\d{2}$/)
  expect(shown(pnl!)).toBeCloseTo(shown(change!) - shown(deposits!), 2)

  // The equity curve draws the engine's points on a canvas.
  const chart = page.getByTestId('portfolio-equity-chart')
  await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 20_000 }).toBeGreaterThan(0)
  await expect(chart.locator('canvas').first()).toBeVisible()
  await expect(chart).toHaveAttribute('data-period', '24h')
  await page.screenshot({ path: '/tmp/portfolio-ui.png' })

  // Period by key: 2 = 7d (from a table, where plain keys are the app's); the curve is asked for again.
  await palette(page, 'focus portfolio positions', /Focus portfolio positions/)
  await expect(page.getByTestId('portfolio-positions')).toBeFocused()
  // G: one row per asset, the engine's sum over the accounts shown; G again: back to per account.
  await page.keyboard.press('g')
  const btcAll = page.locator('[data-testid="position-row"][data-asset="BTC"][data-account="*"]')
  await expect(btcAll).toBeVisible()
  const perAsset = value<Summary>(await engineCall(engine, 'portfolio.summary', { account: 'sim', period: '24h' })).assets.find((a) => a.asset === 'BTC')!
  expect(perAsset.accounts).toBe(1)
  expect(shown(await btcAll.getByTestId('position-amount').innerText())).toBe(Number(perAsset.amount))
  await expect(btcAll).toContainText('1 account')
  await page.keyboard.press('g')
  await expect(btcRow).toBeVisible()
  // The selected position's open lots, as the engine holds them (FIFO: the paper buy is one lot).
  await btcRow.click()
  const lotsStrip = page.getByTestId('portfolio-lots')
  await expect(lotsStrip).toHaveAttribute('data-asset', 'BTC')
  const lots = value<{ amount: string; cost: string }[]>(await engineCall(engine, 'portfolio.lots', { account: 'sim', asset: 'BTC' }))
  expect(lots.length).toBeGreaterThan(0)
  await expect(lotsStrip.getByTestId('lot-row')).toHaveCount(lots.length)
  expect(shown(await lotsStrip.getByTestId('lot-amount').first().innerText())).toBe(Number(lots[0]!.amount))
  await page.getByTestId('portfolio-positions').focus()
  await page.keyboard.press('2')
  await expect(page.getByTestId('portfolio-period')).toHaveAttribute('data-period', '7d')
  await expect(chart).toHaveAttribute('data-period', '7d')
  await expect(page.getByTestId('portfolio-totals')).toContainText('Realized 7d')
  // …and by the period control's arrows: → = 30d.
  await palette(page, 'portfolio choose the period', /Portfolio: choose the period/)
  await expect(page.getByTestId('portfolio-period-7d')).toBeFocused()
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('portfolio-period-30d')).toBeFocused()
  await expect(page.getByTestId('portfolio-period')).toHaveAttribute('data-period', '30d')
  await expect(chart).toHaveAttribute('data-period', '30d')

  // Import a generic CSV through the dialog: the format is recognised, the account named, Enter imports.
  await palette(page, 'import trade history', /Import trade history \(CSV\)/)
  const dialog = page.getByTestId('portfolio-import-dialog')
  await expect(dialog).toBeVisible()
  const fileInput = page.getByTestId('portfolio-import-file')
  await expect(fileInput).toBeFocused()
  await fileInput.setInputFiles({ name: 'e2e-trades.csv', mimeType: 'text/csv', buffer: Buffer.from(GOOD_CSV) })
  await expect(page.getByTestId('portfolio-import-picked')).toContainText('e2e-trades.csv · 4 lines')
  await expect(page.getByTestId('portfolio-import-format')).toHaveValue('generic')
  const accountField = page.getByTestId('portfolio-import-account')
  await expect(accountField).toHaveValue('import:e2e-trades')
  await importInto(page, 'E2E import')
  await expect(dialog).toHaveCount(0)
  const imported = page.locator('[data-testid="ledger-account-row"][data-account="E2E import"]')
  await expect(imported).toBeVisible()
  await expect(imported.getByTestId('ledger-entries')).toHaveText('3')
  expect((await ledgerAccounts(engine)).find((a) => a.account === 'E2E import')?.entries).toBe(3)

  // Its P&L: the imported BTC with the engine's average cost.
  await filter.selectOption('E2E import')
  const importedBtc = page.locator('[data-testid="position-row"][data-asset="BTC"][data-account="E2E import"]')
  await expect(importedBtc).toBeVisible()
  const importedView = value<Summary>(await engineCall(engine, 'portfolio.summary', { account: 'E2E import', period: 'all' }))
  const importedPos = importedView.positions.find((p) => p.asset === 'BTC')!
  expect(shown(await importedBtc.getByTestId('position-amount').innerText())).toBe(Number(importedPos.amount))
  expect(shown(await importedBtc.getByTestId('position-avg-cost').innerText())).toBeCloseTo(Number(importedPos.averageCost), 2)
  // The oversold ETH is listed among the warnings, with the engine's message.
  const warning = page.locator('[data-testid="portfolio-warning"][data-kind="missing-cost-basis"]').filter({ hasText: 'ETH' })
  await expect(warning).toBeVisible()
  await expect(warning).toContainText('Missing cost basis')

  // A malformed file: the dialog names line 3 and stays open; nothing of it reaches the ledger.
  await palette(page, 'import trade history', /Import trade history \(CSV\)/)
  await expect(dialog).toBeVisible()
  await fileInput.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD_CSV) })
  await importInto(page, 'E2E bad')
  const error = page.getByTestId('portfolio-import-error')
  await expect(error).toHaveAttribute('data-line', '3')
  await expect(error).toContainText('Line 3')
  await expect(error).toContainText('amount')
  await expect(dialog).toBeVisible()
  await page.screenshot({ path: '/tmp/portfolio-import-error.png' })
  expect((await ledgerAccounts(engine)).some((a) => a.account === 'E2E bad')).toBe(false)
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
  await expect(page.locator('[data-testid="ledger-account-row"][data-account="E2E bad"]')).toHaveCount(0)

  // Kraken's ledgers export (deposits, a trade, withdrawals, staking rewards, a Buy Crypto purchase):
  // recognised by its header; the toast says what was read and what was not, and why.
  await palette(page, 'import trade history', /Import trade history \(CSV\)/)
  await fileInput.setInputFiles({ name: 'ledgers.csv', mimeType: 'text/csv', buffer: fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'csv', 'kraken-ledgers.csv')) })
  await expect(page.getByTestId('portfolio-import-format')).toHaveValue('kraken')
  await importInto(page, 'Kraken rewards')
  await expect(dialog).toHaveCount(0)
  const toasts = page.getByTestId('toasts')
  await expect(toasts).toContainText('Imported 8 of 16 rows')
  await expect(toasts).toContainText('ledgers.csv (ledgers) into Kraken rewards. Not read: 2 × earn (allocation), 1 × ')
  await expect(toasts).toContainText('1 × transfer (spottostaking)')
  await page.screenshot({ path: '/tmp/portfolio-import-kraken.png' })
  await expect(page.locator('[data-testid="ledger-account-row"][data-account="Kraken rewards"]').getByTestId('ledger-entries')).toHaveText('8')
  // The purchase (50 USD + 0.99 fee for 0.49 SOL) is the SOL's cost: 104.06… each, as the page shows it.
  await filter.selectOption('Kraken rewards')
  const sol = page.locator('[data-testid="position-row"][data-asset="SOL"][data-account="Kraken rewards"]')
  await expect(sol).toBeVisible()
  const krakenSol = value<Summary>(await engineCall(engine, 'portfolio.summary', { account: 'Kraken rewards', period: 'all' })).positions.find((p) => p.asset === 'SOL')!
  expect(krakenSol).toMatchObject({ amount: '0.49', averageCost: '104.061224489795918367' })
  expect(shown(await sol.getByTestId('position-amount').innerText())).toBe(0.49)
  expect(shown(await sol.getByTestId('position-avg-cost').innerText())).toBeCloseTo(Number(krakenSol.averageCost), 3)

  // Taken back out: Delete on the imported account lists its files; Enter removes the chosen one. Its
  // entries leave the ledger and the account goes with them.
  const krakenRow = page.locator('[data-testid="ledger-account-row"][data-account="Kraken rewards"]')
  await krakenRow.click()
  await expect(krakenRow).toHaveAttribute('aria-selected', 'true')
  // First, E lists what the file put in the ledger, newest first; the kind filter shows the rewards, each
  // in Kraken's own words (the memo the tax report shows too).
  await page.keyboard.press('e')
  const entriesDialog = page.getByTestId('portfolio-entries-dialog')
  await expect(entriesDialog).toBeVisible()
  await expect(entriesDialog.getByTestId('portfolio-entry')).toHaveCount(8)
  await expect(page.getByTestId('portfolio-entries-list')).toBeFocused()
  await expect(entriesDialog.getByTestId('portfolio-entries-count')).toHaveText('8 shown')
  await entriesDialog.getByTestId('portfolio-entries-kind').selectOption('income')
  await expect(entriesDialog.getByTestId('portfolio-entry')).toHaveCount(3)
  await expect(entriesDialog.getByTestId('portfolio-entry-memo')).toHaveText(['staking', 'earn (reward)', 'staking'])
  await page.screenshot({ path: '/tmp/portfolio-entries-dialog.png' })
  await page.keyboard.press('Escape')
  await expect(entriesDialog).toHaveCount(0)
  await page.keyboard.press('Delete')
  const importsDialog = page.getByTestId('portfolio-imports-dialog')
  await expect(importsDialog).toBeVisible()
  await expect(page.getByTestId('portfolio-imports-list')).toBeFocused()
  await expect(importsDialog.getByTestId('portfolio-import-item')).toHaveCount(1)
  await expect(importsDialog.getByTestId('portfolio-import-item').first()).toContainText('kraken · 8 entries added')
  await page.screenshot({ path: '/tmp/portfolio-imports-dialog.png' })
  await page.keyboard.press('Enter')
  await expect(importsDialog).toHaveCount(0)
  await expect(toasts).toContainText('Removed ledgers.csv')
  await expect(krakenRow).toHaveCount(0)
  expect((await ledgerAccounts(engine)).some((a) => a.account === 'Kraken rewards')).toBe(false)
  // The page was filtered to it: it goes back to the accounts it was picked from.
  await expect(filter).not.toHaveValue('Kraken rewards')

  expect(problems, 'no console errors (CSP included)').toEqual([])
})

test('Portfolio: an exchange account syncs its history with a progress bar; Delete cancels, Enter resumes', async ({ page, engine }) => {
  test.setTimeout(150_000)
  const fx = await createBinanceFixture()
  let added = { id: '' }
  try {
    // Past fills of the key's account on the local Binance server, from before the app knew it.
    const day = 86_400_000
    const now = Date.now()
    fx.server.history.seedFills({ accountId: fx.keys.trader.accountId, symbols: ['BTC/USDT'], count: 30, from: now - 6 * day, to: now - 2 * day })
    // ...a Binance Convert trade, and a card purchase still processing (named, not stored).
    fx.server.history.addConversion(fx.keys.trader.accountId, { from: 'USDT', fromAmount: '1000', to: 'ETH', toAmount: '0.3', time: now - 3 * day })
    fx.server.history.addFiatBuy(fx.keys.trader.accountId, { fiat: 'EUR', paid: '100', fee: '1.8', crypto: 'BTC', amount: '0.001', time: now - day, status: 'Processing' })
    added = value<{ id: string }>(
      await engineCall(engine, 'accounts.add', {
        exchange: 'binance',
        label: 'Local Binance',
        apiBaseUrl: fx.server.restUrl,
        credentials: { apiKey: fx.keys.trader.apiKey, secret: fx.keys.trader.secret },
      }),
    )
    const problems = await openApp(page, engine, '#portfolio')
    await expect(page.getByTestId('portfolio-page')).toBeVisible()
    const row = page.locator(`[data-testid="ledger-account-row"][data-account="${added.id}"]`)
    await expect(row).toBeVisible()
    await expect(row.getByTestId('sync-start')).toHaveText('Sync')

    // A slow exchange, so the run can be watched and cancelled: Enter on the row starts it.
    fx.server.faults.delay(400, 'rest')
    await palette(page, 'ledger accounts sync', /Ledger accounts: sync history/)
    const table = page.getByTestId('portfolio-ledger')
    await expect(table).toBeFocused()
    const rows = table.getByTestId('ledger-account-row')
    const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-account')))
    await page.keyboard.press('Home')
    for (let i = 0; i < ids.indexOf(added.id); i++) await page.keyboard.press('ArrowDown')
    await expect(row).toHaveAttribute('aria-selected', 'true')
    // A first sync asks where the history starts: a day in the future is refused, a week back is taken.
    await page.keyboard.press('Enter')
    const dialog = page.getByTestId('portfolio-sync-dialog')
    await expect(dialog).toBeVisible()
    const from = dialog.getByTestId('portfolio-sync-from')
    await expect(from).toBeFocused()
    // Left empty, a Binance account is read from where Binance's history starts: the dialog says so.
    await expect(dialog).toContainText('Empty reads from 2017-07-01')
    const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)
    await from.fill(isoDay(now + 3 * day))
    await page.keyboard.press('Enter')
    await expect(dialog.getByTestId('portfolio-sync-error')).toContainText('has begun')
    await expect(row).toHaveAttribute('data-sync-state', 'idle')
    await from.fill(isoDay(now - 7 * day))
    await page.keyboard.press('Enter')
    await expect(dialog).toHaveCount(0)
    await expect(table).toBeFocused()
    await expect(row).toHaveAttribute('data-sync-state', 'running')
    await expect(row.getByTestId('sync-progress')).toBeVisible()
    await expect(row.getByTestId('sync-cancel')).toBeVisible()
    await expect.poll(async () => Number((await row.getByTestId('sync-progress').getAttribute('value')) ?? 0), { timeout: 30_000 }).toBeGreaterThan(0)

    await page.screenshot({ path: '/tmp/portfolio-sync-running.png' })

    // Delete cancels after the request in flight: interrupted, and the button offers to resume.
    await page.keyboard.press('Delete')
    await expect(row).toHaveAttribute('data-sync-state', 'interrupted', { timeout: 20_000 })
    await expect(row.getByTestId('sync-label')).toContainText('interrupted')
    await expect(row.getByTestId('sync-start')).toHaveText('Resume')

    // At full speed again, Enter resumes it to the end; the fills are in the ledger and on screen.
    fx.server.faults.reset()
    await page.keyboard.press('Enter')
    await expect(row).toHaveAttribute('data-sync-state', 'done', { timeout: 60_000 })
    await expect(row.getByTestId('sync-label')).toContainText('done')
    await expect(row.getByTestId('sync-label')).toHaveAttribute('title', `History from ${isoDay(now - 7 * day)}`)
    await expect(row.getByTestId('sync-label')).toContainText('not read: 1 × fiat purchase "Processing"')
    const entries = (await ledgerAccounts(engine)).find((a) => a.account === added.id)?.entries ?? 0
    expect(entries).toBeGreaterThanOrEqual(31) // 30 fills and the conversion
    await expect(row.getByTestId('ledger-entries')).toHaveText(String(entries))
    await expect(page.locator(`[data-testid="pnl-account-row"][data-account="${added.id}"]`)).toBeVisible()

    expect(problems, 'no console errors').toEqual([])
  } finally {
    // The e2e engine is shared by the specs that run after this one: it leaves no exchange account behind.
    await engineCall(engine, 'accounts.remove', { id: added.id }).catch(() => undefined)
    await fx.close()
  }
})

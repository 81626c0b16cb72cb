import { test, expect } from './fixtures'
import { engineCall, openApp } from './app-helpers'

// The Leaderboard against a real headless engine: every account in the ledger ranked by the period's
// P&L — the simulated traders, trading live, and an imported history of the user's whose figures are
// worked out by hand — then the keyboard moving the selection, and the selected account's week heatmap.
//
// History: 10,000 USDT in; 0.1 BTC bought at 40,000 on Tuesday 2 Jan 2024 14:00 UTC, 0.05 sold at 44,000
// at 14:30 (+200) and 0.05 at 38,000 on Wednesday 09:00 (−100). Flat again: P&L +100 on 10,000 (+1.00 %),
// 2 trades, 1 won (50.00 %), profit factor 200 / 100 = 2.00.

const HISTORY = [
  'timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id',
  '2024-01-01T00:00:00Z,deposit,USDT,,,,10000,,,lb-dep',
  '2024-01-02T14:00:00Z,trade,BTC,USDT,buy,40000,0.1,,,lb-1',
  '2024-01-02T14:30:00Z,trade,BTC,USDT,sell,44000,0.05,,,lb-2',
  '2024-01-03T09:00:00Z,trade,BTC,USDT,sell,38000,0.05,,,lb-3',
].join('\n')

test('Leaderboard: traders and your own account ranked by P&L, trade statistics, keyboard selection and the week heatmap', async ({ page, engine }) => {
  const imported = await engineCall(engine, 'portfolio.import', { account: 'e2e-lb', format: 'generic', fileName: 'lb.csv', text: HISTORY })
  expect(imported.ok, JSON.stringify(imported)).toBe(true)
  const problems = await openApp(page, engine)
  await page.keyboard.press('Control+Shift+L')
  await expect(page.getByTestId('leaderboard-page')).toBeVisible()
  await page.getByTestId('leaderboard-period-all').click()
  await expect(page.getByTestId('leaderboard-period')).toHaveAttribute('data-period', 'all')

  await expect.poll(() => page.locator('[data-testid="leaderboard-row"][data-kind="trader"]').count()).toBeGreaterThanOrEqual(5)

  // A trader that has traded for minutes has no daily Sharpe yet: its blank cell says why.
  const blankSharpe = page.locator('[data-testid="leaderboard-row"][data-kind="trader"] [data-testid="lb-sharpe"][title]').first()
  await expect(blankSharpe).toHaveText('—')
  await expect(blankSharpe).toHaveAttribute('title', /^Needs 2 daily returns; [01] so far\. A shorter period uses finer steps/)

  const mine = page.locator('[data-testid="leaderboard-row"][data-account="e2e-lb"]')
  await expect(mine).toHaveAttribute('data-kind', 'own')
  const cells = await mine.locator('td').allTextContents()
  // #, Account, P&L, Return, Sharpe, Max DD, Trades, Win rate, Profit factor, Best, Worst, Value
  expect([cells[1], cells[2], cells[3], cells[6], cells[7], cells[8], cells[9], cells[10], cells[11]]).toEqual(['e2e-lb you', '+100.00', '+1.00%', '2', '50.00%', '2.00', '+200.00', '-100.00', '10,100.00'])

  // Ranked by P&L, best first (the exact figures are in the titles); rows with incomplete figures come after.
  const pnls = await page.locator('[data-testid="leaderboard-row"][data-ranked="true"]').getByTestId('lb-pnl').evaluateAll((els) => els.map((e) => Number((e.getAttribute('title') ?? '').split(' ')[0])))
  expect(pnls.length).toBeGreaterThanOrEqual(6)
  for (let i = 1; i < pnls.length; i++) expect(pnls[i - 1]).toBeGreaterThanOrEqual(pnls[i] as number)

  // The keyboard moves the selection; the heatmap follows it. The simulated traders' P&L moves live, so
  // the ranking can change under the selection (it stays on its account): the selected row is read, not
  // assumed to be the first.
  await page.locator('#leaderboard-table').focus()
  const selected = page.locator('[data-testid="leaderboard-row"][aria-selected="true"]')
  const first = await selected.getAttribute('data-account')
  await expect(page.getByTestId('leaderboard-heatmap')).toHaveAttribute('data-account', first as string)
  await page.keyboard.press('ArrowDown')
  await expect(selected).not.toHaveAttribute('data-account', first as string)
  const second = await selected.getAttribute('data-account')
  await expect(page.getByTestId('leaderboard-heatmap')).toHaveAttribute('data-account', second as string)

  await mine.click()
  const heat = page.getByTestId('leaderboard-heatmap')
  await expect(heat).toHaveAttribute('data-account', 'e2e-lb')
  const busy = await heat.getByTestId('leaderboard-heat-cell').evaluateAll((els) =>
    els.map((e, i) => ({ i, trades: Number(e.getAttribute('data-trades')), pnl: e.getAttribute('data-pnl') })).filter((c) => c.trades > 0),
  )
  // Tuesday 14:00 (24 + 14) and Wednesday 09:00 (48 + 9).
  expect(busy).toEqual([
    { i: 38, trades: 1, pnl: '200' },
    { i: 57, trades: 1, pnl: '-100' },
  ])
  expect(problems).toEqual([])
})

test('Follow from the Leaderboard and the Traders page: F on a row opens the Copy page’s Follow form for that leader', async ({ page, engine }) => {
  const problems = await openApp(page, engine)
  await page.keyboard.press('Control+Shift+L')
  const traderRows = page.locator('[data-testid="leaderboard-row"][data-kind="trader"]')
  await expect.poll(() => traderRows.count()).toBeGreaterThanOrEqual(2)

  // The second trader, chosen with the mouse, then F in the table (leader ids are the accounts' ids).
  const row = traderRows.nth(1)
  const account = (await row.getAttribute('data-account')) as string
  expect(account).toMatch(/^sim:trader:/)
  await row.click()
  await expect(row).toHaveAttribute('aria-selected', 'true')
  await page.locator('#leaderboard-table').focus()
  await page.keyboard.press('f')
  await expect(page.getByTestId('copy-page')).toBeVisible()
  await expect(page.getByTestId('follow-leader')).toHaveValue(account)
  await expect(page.getByTestId('follow-sizing-value')).toBeFocused()

  // The Traders page: F on the selected trader does the same (its id without the engine's 'sim:').
  await page.keyboard.press('Control+5')
  const traders = page.getByTestId('trader-row')
  await expect.poll(() => traders.count()).toBeGreaterThanOrEqual(3)
  const trader = traders.nth(2)
  const traderId = (await trader.getAttribute('data-trader-id')) as string
  await trader.click()
  await page.getByTestId('traders-table').focus()
  await page.keyboard.press('f')
  await expect(page.getByTestId('copy-page')).toBeVisible()
  await expect(page.getByTestId('follow-leader')).toHaveValue(`sim:${traderId}`)
  expect(problems).toEqual([])
})

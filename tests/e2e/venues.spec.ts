import { test, expect } from './fixtures'
import { engineCall, openApp } from './app-helpers'

// The Markets and Balances pages against a real headless engine, whose simulated exchange runs live:
// the venue's state, a market search whose prices move, the Simulated exchange balance and its reset by keyboard.

/** Plays "another window": one command straight to the engine. */
test.afterAll(async ({ engine }) => {
  // Leave the paper account as a fresh engine has it, for whatever runs next on this engine.
  await engineCall(engine, 'paper.reset', { amount: '10000' })
})

test('Markets: the simulated exchange is live, "eth" finds ETH/USDT and ETH/BTC, and their prices move', async ({
  page,
  engine,
}) => {
  const problems = await openApp(page, engine)
  await page.keyboard.press('Control+3')
  await expect(page.getByTestId('markets-page')).toBeVisible()

  const sim = page.locator('[data-testid="venue-row"][data-venue-id="sim"]')
  await expect(sim).toHaveAttribute('data-state', 'live')
  await expect(sim.getByTestId('venue-state')).toHaveText('live')

  // "/" focuses the search box from anywhere on the page.
  await page.locator('#main').focus()
  await page.keyboard.press('/')
  const search = page.getByTestId('markets-search')
  await expect(search).toBeFocused()
  await page.keyboard.type('eth')
  const rows = page.getByTestId('market-row')
  await expect(rows).toHaveCount(2)
  const ethUsdt = page.locator('[data-testid="market-row"][data-symbol="ETH/USDT"]')
  const ethBtc = page.locator('[data-testid="market-row"][data-symbol="ETH/BTC"]')
  await expect(ethUsdt).toBeVisible()
  await expect(ethBtc).toBeVisible()
  // Prices at the market's tick: ETH/USDT has two decimals, ETH/BTC five.
  await expect(ethUsdt.getByTestId('market-last')).toHaveText(/^\d{1,3}(,\d{3})*\.\d{2}$/)
  await expect(ethBtc.getByTestId('market-last')).toHaveText(/^0\.\d{5}$/)

  // The page asks again every 2 s and the simulated market trades: something in these rows changes.
  const snapshot = async () => (await rows.allTextContents()).join(' | ')
  const first = await snapshot()
  await expect.poll(snapshot, { timeout: 15_000, intervals: [500] }).not.toBe(first)

  // Arrows move the selection from the search box; Mod+F comes back to it.
  await page.keyboard.press('ArrowDown')
  await expect(rows.first()).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('ArrowDown')
  await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByTestId('markets-current')).toContainText('min notional')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('markets-table')).toBeFocused()
  await page.keyboard.press('ArrowUp')
  await expect(rows.first()).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Control+F')
  await expect(search).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(search).toHaveValue('')
  await expect.poll(() => rows.count()).toBeGreaterThan(2)

  // A venue filter that matches nothing else still lists the simulated exchange's markets.
  await page.getByTestId('markets-venue').selectOption('sim')
  await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(5)

  expect(problems, 'no console errors').toEqual([])
})

test('Balances: 10,000 USDT Simulated exchange balance; reset to 2500 by keyboard; a refused amount shows the engine message', async ({
  page,
  engine,
}) => {
  // The worker's engine is shared: an earlier spec may have traded the paper account, so start it afresh at
  // its default (what a new install shows).
  const reset = await engineCall(engine, 'paper.reset', {})
  expect(reset.ok).toBe(true)
  const problems = await openApp(page, engine)
  await page.keyboard.press('Control+4')
  const paper = page.locator('[data-testid="venue-balances"][data-venue-id="sim"]')
  const usdt = paper.locator('[data-testid="balance-row"][data-asset="USDT"]')
  await expect(usdt.getByTestId('balance-total')).toHaveText('10,000')
  await expect(usdt.getByTestId('balance-free')).toHaveText('10,000')
  await expect(usdt.getByTestId('balance-value')).toHaveText('10,000.00')
  await expect(page.getByTestId('total-value')).toHaveText('10,000.00')
  await expect(page.locator('[data-testid="total-row"][data-asset="USDT"]')).toContainText('10,000')

  // Palette → "Reset Simulated exchange balance…" → type the amount → Enter.
  await page.keyboard.press('Control+K')
  await page.keyboard.type('reset simulated')
  await expect(page.getByRole('option').first()).toContainText('Reset Simulated exchange balance')
  await page.keyboard.press('Enter')
  const dialog = page.getByRole('dialog', { name: 'Reset Simulated exchange balance' })
  await expect(dialog).toBeVisible()
  const amount = dialog.getByTestId('paper-reset-amount')
  await expect(amount).toBeFocused()
  await expect(amount).toHaveValue('10000')
  await page.keyboard.press('Control+A')
  await page.keyboard.type('2500')
  await page.keyboard.press('Enter')
  await expect(dialog).toBeHidden()
  await expect(usdt.getByTestId('balance-total')).toHaveText('2,500')
  await expect(page.getByTestId('total-value')).toHaveText('2,500.00')
  const stored = await engineCall(engine, 'balances.list')
  expect(stored.ok && (stored.value as { totalValue: string }).totalValue).toBe('2500')

  // A refused amount: the dialog stays open with the engine's reason, and nothing changes.
  await page.keyboard.press('Control+K')
  await page.keyboard.type('reset simulated')
  await page.keyboard.press('Enter')
  await expect(dialog).toBeVisible()
  await page.keyboard.press('Control+A')
  await page.keyboard.type('-5')
  await page.keyboard.press('Enter')
  const error = dialog.getByTestId('paper-reset-error')
  await expect(error).toContainText('must be more than 0 and at most 1000000000000')
  await expect(amount).toHaveAttribute('aria-invalid', 'true')
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(usdt.getByTestId('balance-total')).toHaveText('2,500')

  // The workspace's compact panel shows the same account, by its name.
  await page.keyboard.press('Control+1')
  await expect(page.getByTestId('panel-paper')).toContainText('Simulated exchange balance')
  await expect(page.getByTestId('panel-paper').getByTestId('paper-value')).toHaveText('2,500.00')

  expect(problems, 'no console errors').toEqual([])
})

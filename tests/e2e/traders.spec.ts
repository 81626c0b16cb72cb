import type { Page } from '@playwright/test'
import { test, expect } from './fixtures'
import type { HeadlessProcess } from '../support/headless-process'

// The Traders page: the simulated exchange's traders, live, and one trader's balances and fills.

async function openApp(page: Page, engine: HeadlessProcess): Promise<string[]> {
  const problems: string[] = []
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()))
  page.on('pageerror', (e) => problems.push(e.message))
  await page.goto(engine.url)
  await expect(page.getByTestId('status-connection')).toHaveAttribute('data-state', 'connected')
  return problems
}

test('Traders lists at least eight traders and opening one shows its fills', async ({ page, engine }) => {
  const problems = await openApp(page, engine)
  await page.keyboard.press('Control+5')
  const rows = page.getByTestId('trader-row')
  await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(8)

  // The traders trade on their own; wait until one has fills, then open it with the keyboard.
  const fillsOf = async () => (await rows.getByTestId('trader-fills').allTextContents()).map(Number)
  await expect.poll(async () => Math.max(...(await fillsOf())), { timeout: 45_000, intervals: [1000] }).toBeGreaterThan(0)
  const fills = await fillsOf()
  const index = fills.findIndex((n) => n > 0)
  const name = (await rows.nth(index).locator('.trader-name').textContent()) ?? ''

  await page.getByTestId('traders-table').focus()
  await page.keyboard.press('Home')
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown')
  await expect(rows.nth(index)).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByTestId('trader-detail-name')).toHaveText(name)
  const detailFills = page.getByTestId('trader-fill')
  await expect.poll(() => detailFills.count()).toBeGreaterThan(0)
  await expect(detailFills.first()).toContainText(/buy|sell/)
  await expect(page.getByTestId('trader-balances').getByTestId('balance-row').first()).toBeVisible()

  // Enter moves focus into the details.
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('trader-detail')).toBeFocused()

  expect(problems, 'no console errors').toEqual([])
})

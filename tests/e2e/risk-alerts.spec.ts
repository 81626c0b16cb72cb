import { test, expect } from './fixtures'
import { engineCall, openApp } from './app-helpers'

// Risk alerts against a real headless engine: an imported account holding 1,000 USDT (valued as USD), a
// value alert set from the Alerts page by keyboard (refused first where the value already is), then a
// withdrawal imported as a file would be: the alert fires — a toast, the notification centre — and
// leaves the active list. Every figure is the engine's.

const HEADER = 'timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id'
const iso = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000).toISOString()

test('Risk alerts: a portfolio value alert set by keyboard, refused where it already is, fired by a withdrawal', async ({ page, engine }) => {
  const imported = await engineCall(engine, 'portfolio.import', { account: 'e2e-risk', format: 'generic', fileName: 'risk-1.csv', text: [HEADER, `${iso(3)},deposit,USDT,,,,1000,,,rd-1`].join('\n') })
  expect(imported.ok).toBe(true)
  await openApp(page, engine)

  // Alt+Shift+R: the form, its first field focused.
  await page.keyboard.press('Alt+Shift+R')
  await expect(page.getByTestId('alerts-page')).toBeVisible()
  await expect(page.getByTestId('risk-metric')).toBeFocused()
  await page.getByTestId('risk-metric').selectOption('value')
  await page.getByTestId('risk-account').selectOption('e2e-risk')
  await page.getByTestId('risk-condition').selectOption('below')
  await page.getByTestId('risk-currency').selectOption('USD')
  await page.getByTestId('risk-threshold').fill('1100')
  await page.getByTestId('risk-threshold').press('Enter')
  await expect(page.getByTestId('risk-error')).toHaveText('Portfolio value of e2e-risk is 1000 USD, already at or below 1100 USD: the alert would fire at once.')

  await page.getByTestId('risk-threshold').fill('900')
  await page.getByTestId('risk-threshold').press('Enter')
  const row = page.getByTestId('risk-alert-row').filter({ hasText: 'e2e-risk' })
  await expect(row).toHaveCount(1)
  await expect(row).toContainText('falls to 900 USD')
  await expect(row.getByTestId('risk-alert-current')).toHaveText('1,000 USD')
  const id = await row.getAttribute('data-alert-id')

  // 200 USDT withdrawn: 800 is under 900 — it fires once, is said and recorded, and ends.
  const out = await engineCall(engine, 'portfolio.import', { account: 'e2e-risk', format: 'generic', fileName: 'risk-2.csv', text: [HEADER, `${iso(2)},withdrawal,USDT,,,,200,,,rw-1`].join('\n') })
  expect(out.ok).toBe(true)
  await expect(page.getByTestId('toasts')).toContainText('Portfolio value of e2e-risk fell to 900 USD')
  const event = page.locator(`[data-testid="alert-event-row"][data-rule-id="${id}"]`)
  await expect(event).toContainText('Portfolio value 800 USD')
  await expect(row).toHaveCount(0)
  const ended = await engineCall(engine, 'alerts.riskList', { scope: 'history' })
  expect((ended as { value: { id: string; status: string; fireCount: number }[] }).value.find((r) => r.id === id)).toMatchObject({ status: 'fired', fireCount: 1 })
})

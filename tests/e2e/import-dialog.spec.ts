import type { Page } from '@playwright/test'
import { test, expect } from './fixtures'
import { engineCall, openApp } from './app-helpers'

// The import dialog's own behaviour against a real headless engine: what it fills in as files are picked,
// and where it shows the engine's refusals.

const GENERIC = ['timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id', '2024-01-15T10:00:00Z,deposit,USDT,,,,1000,,,dep-1', ''].join('\n')
const KRAKEN = ['"txid","ordertxid","pair","time","type","ordertype","price","cost","fee","vol","margin","misc","ledgers"', ''].join('\n')
const UNKNOWN = ['when,what,how much', '2024-01-15,deposit,1000', ''].join('\n')

async function openImport(page: Page): Promise<void> {
  await page.keyboard.press('Control+8')
  await expect(page.getByTestId('portfolio-page')).toBeVisible()
  await page.keyboard.press('Control+K')
  await page.keyboard.type('import trade history')
  await expect(page.getByTestId('command-palette').getByRole('option').first()).toContainText(/Import trade history \(CSV\)/)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('portfolio-import-dialog')).toBeVisible()
}

const pick = (page: Page, name: string, text: string) => page.getByTestId('portfolio-import-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) })

test('Import dialog: each file picked brings its own account name and format, never over the user’s own', async ({ page, engine }) => {
  const problems = await openApp(page, engine)
  await openImport(page)
  const account = page.getByTestId('portfolio-import-account')
  const format = page.getByTestId('portfolio-import-format')

  await pick(page, 'binance-2023.csv', GENERIC)
  await expect(account).toHaveValue('import:binance-2023')
  await expect(format).toHaveValue('generic')
  // Another file: its name and its format replace the first file's guesses.
  await pick(page, 'kraken-2024.csv', KRAKEN)
  await expect(page.getByTestId('portfolio-import-picked')).toContainText('kraken-2024.csv')
  await expect(account).toHaveValue('import:kraken-2024')
  await expect(format).toHaveValue('kraken')
  // A file whose header says nothing: back to the format the user chose (none yet: generic), not Kraken's.
  await pick(page, 'notes.csv', UNKNOWN)
  await expect(page.getByTestId('portfolio-import-picked')).toContainText('notes.csv')
  await expect(account).toHaveValue('import:notes')
  await expect(format).toHaveValue('generic')

  // The user's own choices stand: a name typed and a format picked stay through the next files.
  await format.selectOption('coinbase')
  await account.fill('My Kraken')
  await pick(page, 'kraken-2025.csv', KRAKEN)
  await expect(page.getByTestId('portfolio-import-picked')).toContainText('kraken-2025.csv')
  await expect(format).toHaveValue('kraken')
  await expect(account).toHaveValue('My Kraken')
  await pick(page, 'notes-2.csv', UNKNOWN)
  await expect(page.getByTestId('portfolio-import-picked')).toContainText('notes-2.csv')
  await expect(format).toHaveValue('coinbase')
  await expect(account).toHaveValue('My Kraken')
  expect(problems).toEqual([])
  // Nothing was imported by picking.
  const accounts = await engineCall(engine, 'portfolio.accounts', {})
  expect(accounts.ok && (accounts.value as { kind: string }[]).some((a) => a.kind === 'import')).toBe(false)
})

test('Import dialog: a refused account name is shown on the Account field, not on the File field', async ({ page, engine }) => {
  await openApp(page, engine)
  await openImport(page)
  const account = page.getByTestId('portfolio-import-account')
  const file = page.getByTestId('portfolio-import-file')
  const error = page.getByTestId('portfolio-import-error')
  await pick(page, 'wallet.csv', GENERIC)
  // "sim": the simulated exchange's own account; "Simulated exchange": the name that venue shows.
  for (const [name, told] of [
    ['sim', 'Account name: "sim" is an account the app keeps itself'],
    ['simulated EXCHANGE', 'Account name: "Simulated exchange" is the name of an exchange or paper account'],
  ] as const) {
    await account.fill(name)
    await page.getByTestId('portfolio-import-submit').click()
    await expect(error).toContainText(told)
    // The field's path is the dialog's to read, not the user's.
    expect(await error.innerText()).toMatch(/^Account name: "/)
    await expect(account).toHaveAttribute('aria-invalid', 'true')
    await expect(account).toHaveAttribute('aria-describedby', 'pf-import-error')
    await expect(file).not.toHaveAttribute('aria-invalid', 'true')
  }
  await expect(page.getByTestId('portfolio-import-dialog')).toBeVisible()
})

test('Import dialog: a refused file is told in whole sentences; only a data line is to be fixed', async ({ page, engine }) => {
  await openApp(page, engine)
  await openImport(page)
  const error = page.getByTestId('portfolio-import-error')
  const account = page.getByTestId('portfolio-import-account')

  await pick(page, 'bad.csv', `${GENERIC}2024-01-16T10:00:00Z,deposit,USDT,,,,abc,,,dep-2\n`)
  await account.fill('Refused')
  await page.getByTestId('portfolio-import-submit').click()
  await expect(error).toHaveAttribute('data-line', '3')
  await expect(error).toHaveText('Line 3: bad.csv: column "amount": "abc" is not a number; nothing was imported. Fix that line and import the file again.')

  // Not a CSV at all: its first line is no header. There is no line of data to fix.
  await pick(page, 'photo.csv', '\u0000\u0001PK\u0003\u0004 binary garbage')
  await account.fill('Refused')
  await page.getByTestId('portfolio-import-submit').click()
  await expect(error).toHaveAttribute('data-line', '1')
  await expect(error).toContainText('Line 1: photo.csv: wrong header for a generic file')
  await expect(error).toHaveText(/; nothing was imported\.$/)
  await expect(error).not.toContainText('Fix that line')
})

import type { Page } from '@playwright/test'
import { accountField, engineCall, openApp, storedAccounts } from './app-helpers'
import { test, expect } from './fixtures'
import { createBinanceFixture, randomKey, type BinanceFixture } from '../support/binance/fixture'

// The Accounts page against a real headless engine and a local Binance server: the key store, the
// engine's refusal of a badly formed key shown at its field, an account added with a custom API URL and
// tested (OK, can trade), a wrong secret tested (invalid signature) and reconnected (the status says the
// exchange rejected the key), an edit and a removal by keyboard —
// and never a credential on the page.

const field = accountField

/** The key store must be able to seal: the keychain, or (where there is none) a passphrase chosen here. */
async function readyKeyStore(page: Page): Promise<void> {
  const status = page.getByTestId('secrets-status')
  // Under scripts/with-keyring.sh (CI, npm test on Linux) a real Secret Service runs: the keychain must be used.
  if (process.env.CO_KEYRING_READY) {
    await expect(status).toHaveAttribute('data-mode', 'keychain')
    return
  }
  await expect(status).toHaveAttribute('data-mode', /^(keychain|passphrase|unavailable)$/)
  if ((await status.getAttribute('data-mode')) !== 'unavailable') return
  await expect(status).toContainText('never stored in plaintext')
  // A passphrase the engine refuses (too short) is answered at the form.
  await page.locator('#secrets-passphrase').fill('short')
  await page.locator('#secrets-passphrase-again').fill('short')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('secrets-error')).toContainText('at least 8 characters')
  await page.locator('#secrets-passphrase').fill('correct horse battery staple')
  await page.locator('#secrets-passphrase-again').fill('correct horse battery staple')
  await page.keyboard.press('Enter')
  await expect(status).toHaveAttribute('data-mode', 'passphrase')
  await expect(status).toHaveAttribute('data-locked', 'false')
}

let fx: BinanceFixture

test.beforeAll(async () => {
  fx = await createBinanceFixture()
})

test.afterAll(async ({ engine }) => {
  for (const a of await storedAccounts(engine)) await engineCall(engine, 'accounts.remove', { id: a.id })
  await fx?.close()
})

test('add, test, edit and remove Binance accounts against a local Binance server; no secret on the page', async ({
  page,
  engine,
}) => {
  test.setTimeout(90_000)
  const problems = await openApp(page, engine)
  await page.keyboard.press('Control+2')
  await expect(page.getByTestId('accounts-page')).toBeVisible()
  await readyKeyStore(page)

  // Alt+N opens the add form with the exchange select focused.
  await page.locator('#main').focus()
  await page.keyboard.press('Alt+N')
  await expect(field(page, 'exchange')).toBeFocused()

  // Each exchange shows the credentials it needs: a passphrase only for OKX-like ones, sandbox only where ccxt has one.
  await field(page, 'exchange').selectOption('okx')
  await expect(page.getByTestId('account-exchange-needs')).toContainText('API key, secret and passphrase')
  await expect(field(page, 'password')).toBeVisible()
  await field(page, 'exchange').selectOption('kraken')
  await expect(field(page, 'password')).toHaveCount(0)
  await expect(field(page, 'sandbox')).toHaveCount(0)
  await field(page, 'exchange').selectOption('binance')
  await expect(page.getByTestId('account-exchange-needs')).toHaveText('Needs API key and secret. Has a sandbox (test network).')
  await expect(field(page, 'sandbox')).toBeVisible()
  await expect(field(page, 'password')).toHaveCount(0)
  await expect(field(page, 'apiKey')).toHaveAttribute('type', 'password')
  await expect(field(page, 'secret')).toHaveAttribute('type', 'password')

  // A badly formed key: the engine's own words, next to the field; nothing is added; the inputs it names are emptied.
  await field(page, 'label').fill('Bad key')
  await field(page, 'apiKey').fill('not-a-binance-key')
  await field(page, 'secret').fill('tooshort')
  await page.keyboard.press('Enter')
  const keyError = page.getByTestId('account-error-credentials.apiKey')
  await expect(keyError).toHaveText('Binance API keys are 64 letters and digits; this one (17 characters) is not')
  await expect(page.getByTestId('account-error-credentials.secret')).toContainText('Binance secrets are 64 letters and digits')
  await expect(field(page, 'apiKey')).toHaveAttribute('aria-invalid', 'true')
  await expect(field(page, 'apiKey')).toBeFocused()
  await expect(field(page, 'apiKey')).toHaveValue('')
  await expect(field(page, 'secret')).toHaveValue('')
  expect(await storedAccounts(engine)).toEqual([])
  await expect(page.getByTestId('account-row')).toHaveCount(0)

  // A refusal about another field keeps what was pasted: only the URL needs fixing.
  const trader = fx.keys.trader
  await field(page, 'label').fill('Local Binance')
  await field(page, 'apiBaseUrl').fill('http://example.com')
  await field(page, 'apiKey').fill(trader.apiKey)
  await field(page, 'secret').fill(trader.secret)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('account-error-apiBaseUrl')).toContainText('only allowed for this machine')
  await expect(field(page, 'apiKey')).toHaveValue(trader.apiKey)
  await expect(field(page, 'secret')).toHaveValue(trader.secret)

  // A good key against the local server, through the custom API base URL.
  await field(page, 'label').fill('Local Binance')
  await field(page, 'apiBaseUrl').fill(fx.server.restUrl)
  await field(page, 'apiKey').fill(trader.apiKey)
  await field(page, 'secret').fill(trader.secret)
  // Typed credentials live in the inputs only: not in the DOM's attributes while typing either.
  expect(await page.content()).not.toContain(trader.secret)
  await page.keyboard.press('Enter')
  const rows = page.getByTestId('account-row')
  await expect(rows).toHaveCount(1)
  const local = rows.filter({ hasText: 'Local Binance' })
  await expect(local.getByTestId('account-key-hint')).toHaveText(`••••${trader.apiKey.slice(-4)}`)
  await expect(local).toContainText(fx.server.restUrl)
  await expect(local.getByTestId('account-permission')).toHaveText('unknown')
  await expect(local.getByTestId('account-last-test')).toHaveText('never tested')
  await expect(page.getByTestId('accounts-table')).toBeFocused()
  await expect(local).toHaveAttribute('aria-selected', 'true')
  expect((await storedAccounts(engine)).map((a) => [a.label, a.apiBaseUrl])).toEqual([['Local Binance', fx.server.restUrl]])

  // Test connection (Alt+T): OK, can trade, with latency and the balance count.
  await page.keyboard.press('Alt+T')
  await expect(local.getByTestId('account-permission')).toHaveText('can trade', { timeout: 20_000 })
  await expect(local.getByTestId('account-last-test')).toContainText('OK')
  const details = page.getByTestId('connection-test')
  await expect(details.getByTestId('connection-outcome')).toHaveText('OK')
  await expect(details.getByTestId('connection-balances')).toHaveText('2')
  await expect(details.getByTestId('connection-latency')).toHaveText(/^\d+ ms$/)

  // Another account with the right key but a wrong secret: the test says "Invalid signature".
  await page.keyboard.press('Alt+N')
  await expect(field(page, 'exchange')).toBeFocused()
  await field(page, 'exchange').selectOption('binance')
  await field(page, 'label').fill('Wrong secret')
  await field(page, 'apiBaseUrl').fill(fx.server.restUrl)
  const wrongSecret = randomKey()
  await field(page, 'apiKey').fill(trader.apiKey)
  await field(page, 'secret').fill(wrongSecret)
  await page.keyboard.press('Enter')
  await expect(rows).toHaveCount(2)
  const wrong = rows.filter({ hasText: 'Wrong secret' })
  await expect(wrong).toHaveAttribute('aria-selected', 'true')
  // This time through the palette.
  await page.keyboard.press('Control+K')
  await page.keyboard.type('test connection')
  await expect(page.getByRole('option').first()).toContainText('Test connection of selected account')
  await page.keyboard.press('Enter')
  await expect(wrong.getByTestId('account-last-test')).toContainText('Invalid signature', { timeout: 20_000 })
  await expect(wrong.getByTestId('account-last-test')).toContainText('-1022')
  await expect(wrong.getByTestId('account-permission')).toHaveText('unknown')
  await expect(page.getByTestId('connection-outcome')).toHaveText('Invalid signature')

  // Reconnect (Alt+R) connects the account: the exchange refuses its key, and the status says so plainly.
  await expect(page.getByTestId('account-status-state')).toHaveText('down')
  await page.keyboard.press('Alt+R')
  await expect(page.getByTestId('account-status-reason')).toHaveText(
    /^The exchange rejected the API key: Binance rejected the request signature.*-1022.* — update the key in Accounts$/,
    { timeout: 20_000 },
  )

  // Nothing typed as a credential is anywhere on the page (nor the full API key).
  // (A string expression: this file is type-checked without the DOM library.)
  for (const html of [await page.content(), await page.evaluate<string>('document.body.innerText')]) {
    expect(html).not.toContain(trader.secret)
    expect(html).not.toContain(wrongSecret)
    expect(html).not.toContain(trader.apiKey)
  }

  // Remove by keyboard: Delete on the selected row, Enter in the dialog.
  await page.getByTestId('accounts-table').focus()
  await page.keyboard.press('End')
  await expect(wrong).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Delete')
  const dialog = page.getByRole('dialog', { name: 'Remove account' })
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText('Wrong secret')
  // Enter removes once what stops with it is counted: the Remove button takes the focus then.
  await expect(dialog.getByTestId('account-remove-confirm')).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(dialog).toBeHidden()
  await expect(rows).toHaveCount(1)
  await expect(page.getByTestId('accounts-table')).toBeFocused()
  expect((await storedAccounts(engine)).map((a) => a.label)).toEqual(['Local Binance'])

  // Enter edits the selected account: a new label, saved with Enter, shown and stored.
  await expect(local).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Enter')
  await expect(field(page, 'label')).toBeFocused()
  await expect(page.getByTestId('panel-account-editor')).toContainText('leave empty to keep the stored key')
  await field(page, 'label').fill('Local Binance main')
  await page.keyboard.press('Enter')
  await expect(rows.first()).toContainText('Local Binance main')
  expect((await storedAccounts(engine)).map((a) => a.label)).toEqual(['Local Binance main'])
  // A label change keeps the last test (only where / how it connects clears it).
  await expect(rows.first().getByTestId('account-permission')).toHaveText('can trade')

  // A paper account on this account's markets: removing the account says so, and the paper account stays,
  // down with what the user can do (its source cannot come back).
  const [main] = await storedAccounts(engine)
  const paper = await engineCall(engine, 'paper.open', { source: { kind: 'venue', venueId: main!.id }, label: 'Orphan check' })
  expect(paper.ok, JSON.stringify(paper)).toBe(true)
  await page.getByTestId('accounts-table').focus()
  await page.keyboard.press('Delete')
  await expect(dialog).toBeVisible()
  await expect(dialog.getByTestId('account-remove-papers')).toContainText('A paper account trades on its markets (Orphan check)')
  await expect(dialog.getByTestId('account-remove-confirm')).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(dialog).toBeHidden()
  await expect(rows).toHaveCount(0)
  await expect
    .poll(async () => {
      const venues = await engineCall(engine, 'venues.list', {})
      return venues.ok ? (venues.value as { label: string; connection: string; reason: string | null }[]).find((v) => v.label === 'Orphan check') : undefined
    })
    .toMatchObject({ connection: 'down', reason: expect.stringContaining('The exchange account it traded on was removed') })
  // It can still be closed (the engine is shared with the other test files: leave nothing behind).
  const closed = await engineCall(engine, 'paper.close', { venueId: (paper as { value: { id: string } }).value.id })
  expect(closed.ok, JSON.stringify(closed)).toBe(true)

  expect(problems, 'no console errors').toEqual([])
})

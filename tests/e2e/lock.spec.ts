import fs from 'node:fs'
import { parse } from 'csv-parse/sync'
import { test, expect } from './fixtures'
import { engineCall, openApp } from './app-helpers'

// The app lock and the audit log against a real headless engine: a passphrase set on the Settings page
// (the engine's refusal of a short one shown at the form), the lock by its key, a locked door that hides
// the app and answers the engine's own client with LOCKED, a wrong passphrase and the right one, and the
// Audit log page showing each of those acts, its chain checked and its CSV saved. The engine is shared
// with other specs of this worker: the lock is removed at the end whatever happens.

const PASS = 'e2e lock passphrase'

test('App lock: set on Settings, locked by key, refused door, wrong then right passphrase; the audit log shows it all', async ({ page, engine }) => {
  try {
    await openApp(page, engine)
    await page.keyboard.press('Control+,')
    const form = page.getByTestId('lock-settings')
    await expect(form).toHaveAttribute('data-enabled', 'false')
    await expect(page.getByTestId('lock-state')).toHaveText('No lock passphrase is set: anyone at this screen can use the app.')

    // Locking with no passphrase: the engine says why (and the page stays open).
    await page.keyboard.press('Alt+Shift+L')
    await expect(page.getByTestId('toasts')).toContainText('No lock passphrase is set: set one under Settings → Security first')

    // A short passphrase: the engine's rule, at the form; nothing stored.
    await page.getByTestId('lock-next').fill('short')
    await page.getByTestId('lock-again').fill('short')
    await page.getByTestId('lock-again').press('Enter')
    await expect(page.getByTestId('lock-settings-error')).toContainText('The passphrase must be at least 8 characters long')
    expect(await engineCall(engine, 'lock.status')).toMatchObject({ ok: true, value: { enabled: false } })
    await page.getByTestId('lock-next').fill(PASS)
    await page.getByTestId('lock-again').fill(`${PASS}!`)
    await page.getByTestId('lock-again').press('Enter')
    await expect(page.getByTestId('lock-settings-error')).toHaveText('The new passphrase and its repetition differ')
    await page.getByTestId('lock-again').fill(PASS)
    await page.getByTestId('lock-again').press('Enter')
    await expect(form).toHaveAttribute('data-enabled', 'true')
    await expect(page.getByTestId('lock-state')).toHaveText('App lock on: the app starts locked and locks after 15 min without input.')

    // Locked by its key: only the lock screen is drawn, and the door refuses anything else to any client.
    await page.keyboard.press('Alt+Shift+L')
    await expect(page.getByTestId('lock-screen')).toBeVisible()
    await expect(page.getByTestId('lock-passphrase')).toBeFocused()
    await expect(page.getByTestId('settings-page')).toHaveCount(0)
    await expect(page.locator('#main')).toHaveCount(0)
    expect(await engineCall(engine, 'balances.list')).toEqual({ ok: false, error: { code: 'LOCKED', message: 'The app is locked: unlock it with your passphrase' } })
    expect((await engineCall(engine, 'app.info')).ok).toBe(true)

    await page.keyboard.type('not the passphrase')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('lock-error')).toHaveText('Wrong passphrase (4 more tries before each try waits)')
    await expect(page.getByTestId('lock-passphrase')).toHaveValue('')
    await page.keyboard.type(PASS)
    await page.keyboard.press('Enter')
    // The page starts again from the engine: connected, on the app.
    await expect(page.getByTestId('status-connection')).toHaveAttribute('data-state', 'connected')
    await expect(page.locator('#main')).toBeVisible()
    expect((await engineCall(engine, 'balances.list')).ok).toBe(true)

    // The Audit log page: newest first, the acts above with their door and outcome.
    await page.keyboard.press('Control+Shift+E')
    await expect(page.getByTestId('audit-page')).toBeVisible()
    await page.getByTestId('audit-search').fill('lock.')
    const rows = page.getByTestId('audit-row')
    const shown = () => rows.evaluateAll((els) => els.map((el) => `${el.getAttribute('data-door')} ${el.getAttribute('data-action')} ${el.getAttribute('data-outcome')}`))
    await expect.poll(shown).toEqual([
      'headless lock.unlock ok',
      'headless lock.unlock FORBIDDEN',
      'headless lock.lock ok',
      'headless lock.setPassphrase ok',
      'headless lock.setPassphrase BAD_INPUT',
      'headless lock.lock CONFLICT',
    ])
    await expect(rows.nth(3).locator('td').nth(4)).toHaveText('next=(withheld)')
    const listed = await engineCall(engine, 'audit.list', { search: 'lock.' })
    await expect(page.getByTestId('audit-total')).toHaveText(`${(listed as { value: { total: number } }).value.total} entries`)
    // ↓ moves the selection down the table.
    await page.getByTestId('audit-table').focus()
    await page.keyboard.press('ArrowDown')
    await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true')

    // The chain, checked by the engine; the check is itself recorded and shows up live.
    await page.getByTestId('audit-search').fill('')
    await page.getByTestId('audit-verify').click()
    const verdict = page.getByTestId('audit-verify-result')
    await expect(verdict).toHaveAttribute('data-ok', 'true')
    await expect(verdict).toContainText(/^Chain intact: \d+ entries checked\. Newest #\d+, hash [0-9a-f]{64}/)
    await expect(rows.first()).toHaveAttribute('data-action', 'audit.verify')

    // The CSV from the palette: every entry so far, each linked to the one before, no passphrase anywhere.
    const download = page.waitForEvent('download')
    await page.keyboard.press('Control+K')
    await page.keyboard.type('export the audit log')
    await expect(page.getByTestId('command-palette').getByRole('option').first()).toContainText('Export the audit log as CSV')
    await page.keyboard.press('Enter')
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/)
    const text = fs.readFileSync((await file.path()) as string, 'utf8')
    expect(text).not.toContain(PASS)
    const csv = parse(text, { columns: true, bom: true }) as Record<string, string>[]
    expect(csv.map((r) => Number(r.id))).toEqual(csv.map((_, i) => i + 1))
    for (let i = 1; i < csv.length; i++) expect(csv[i]!['previous hash']).toBe(csv[i - 1]!.hash)
    expect(csv.some((r) => r.action === 'lock.unlock' && r.outcome === 'FORBIDDEN' && r.door === 'headless')).toBe(true)

    // Removing the lock needs the current passphrase.
    await page.keyboard.press('Control+,')
    await page.getByTestId('lock-current').fill(PASS)
    await page.getByTestId('lock-remove').click()
    await expect(form).toHaveAttribute('data-enabled', 'false')
  } finally {
    // Whatever failed above, later specs on this engine must find it unlocked and without a passphrase.
    await engineCall(engine, 'lock.unlock', { passphrase: PASS })
    await engineCall(engine, 'lock.clear', { current: PASS })
  }
})

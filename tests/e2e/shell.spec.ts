import fs from 'node:fs'
import path from 'node:path'
import type { Page } from '@playwright/test'
import { test, expect } from './fixtures'
import { engineCall, openApp } from './app-helpers'
import { startHeadless, type HeadlessProcess } from '../support/headless-process'

// The app shell against a real headless engine: status bar, command palette, settings, sidebar,
// backup and the engine's refusals. A second WebSocket client (engineCall) plays "another window"
// and reads what the engine really stored.

const version = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  version: string
}).version

async function storedSetting(engine: HeadlessProcess, key: string): Promise<unknown> {
  const reply = await engineCall(engine, 'settings.list')
  if (!reply.ok) throw new Error(reply.error.message)
  return (reply.value as { key: string; value: unknown }[]).find((s) => s.key === key)?.value
}

const settingKeys = ['ui.theme', 'ui.density', 'ui.fontSize', 'ui.timeZone', 'ui.clock24h', 'workspace.sidebar']

/** Presses Tab until the element with this id has focus (keyboard only, like a user would). */
async function tabTo(page: Page, id: string, maxPresses = 40): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab')
    // A string expression: this file is type-checked without the DOM library.
    if ((await page.evaluate<string | undefined>('document.activeElement?.id')) === id) return
  }
  throw new Error(`Tab never reached #${id}`)
}

const control = (page: Page, key: string) => page.locator(`[id="setting-${key}"]`)

/** Opens the app and waits until it is connected and has the engine's settings. */
test.beforeEach(async ({ engine }) => {
  for (const key of settingKeys) expect((await engineCall(engine, 'settings.reset', { key })).ok).toBe(true)
})

test('the shell opens connected and shows the database path and version from the engine', async ({
  page,
  engine,
}) => {
  const problems: string[] = []
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()))
  page.on('pageerror', (e) => problems.push(e.message))

  await openApp(page, engine)
  const connection = page.getByTestId('status-connection')
  await expect(connection).toHaveText('Connected')
  await expect(page.getByTestId('status-db')).toContainText(engine.dataDir)
  await expect(page.getByTestId('status-version')).toHaveText(`v${version}`)
  await expect(page.getByTestId('status-door')).toContainText('headless')

  // The workspace panels show the engine's own data.
  await expect(page.getByTestId('engine-db')).toContainText(engine.dataDir)
  await expect(page.getByTestId('activity-rows')).toContainText('Engine started (headless)')
  await expect(page.getByTestId('shortcut-list')).toContainText('Back up database now')
  const uptime = page.getByTestId('engine-uptime')
  const first = await uptime.textContent()
  await expect(uptime).not.toHaveText(first ?? '', { timeout: 3000 })

  expect(problems, 'no console errors or CSP violations').toEqual([])
})

test('palette → Go to Settings, then settings changed by keyboard survive a reload', async ({ page, engine }) => {
  await openApp(page, engine)
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')

  await page.keyboard.press('Control+K')
  const palette = page.getByRole('dialog', { name: 'Command palette' })
  await expect(palette).toBeVisible()
  const search = palette.getByRole('combobox', { name: 'Search actions' })
  await expect(search).toBeFocused()
  const all = await palette.getByRole('option').count()
  await page.keyboard.type('go set')
  const options = palette.getByRole('option')
  await expect(options.first()).toContainText('Go to Settings')
  await expect(options.first()).toHaveAttribute('aria-selected', 'true')
  expect(await options.count()).toBeLessThan(all)
  await expect(search).toHaveAttribute('aria-activedescendant', (await options.first().getAttribute('id')) ?? 'none')
  await page.keyboard.press('Enter')
  await expect(palette).toBeHidden()
  await expect(page.getByTestId('settings-page')).toBeVisible()

  // Theme: Dark → Midnight with the arrow key on the focused select.
  await tabTo(page, 'setting-ui.theme')
  await page.keyboard.press('ArrowDown')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'midnight')

  // Font size: 12 → 14 with two arrow steps.
  await tabTo(page, 'setting-ui.fontSize')
  await page.keyboard.press('ArrowUp')
  await page.keyboard.press('ArrowUp')
  await expect(control(page, 'ui.fontSize')).toHaveValue('14')
  await expect(page.locator('body')).toHaveCSS('font-size', '14px')
  await expect.poll(() => storedSetting(engine, 'ui.fontSize')).toBe(14)
  expect(await storedSetting(engine, 'ui.theme')).toBe('midnight')

  await page.reload()
  await expect(page.getByTestId('settings-page')).toBeVisible()
  await expect(control(page, 'ui.theme')).toHaveValue('midnight')
  await expect(control(page, 'ui.fontSize')).toHaveValue('14')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'midnight')
  await expect(page.locator('body')).toHaveCSS('font-size', '14px')

  // A page named in the address bar's hash opens without a reload.
  await page.evaluate("location.hash = '#orders'")
  await expect(page.getByTestId('orders-page')).toBeVisible()
  await expect(page.getByTestId('settings-page')).toBeHidden()
})

test('Mod+B toggles the sidebar through the workspace.sidebar setting, across reloads', async ({
  page,
  engine,
}) => {
  await openApp(page, engine)
  const sidebar = page.getByTestId('sidebar')
  await expect(sidebar).toBeVisible()

  await page.keyboard.press('Control+B')
  await expect(sidebar).toBeHidden()
  await expect.poll(() => storedSetting(engine, 'workspace.sidebar')).toBe(false)
  await openApp(page, engine)
  await expect(sidebar).toBeHidden()

  await page.keyboard.press('Control+B')
  await expect(sidebar).toBeVisible()
  await expect.poll(() => storedSetting(engine, 'workspace.sidebar')).toBe(true)
  await openApp(page, engine)
  await expect(sidebar).toBeVisible()
})

test('Back up database now (from the palette) reports the backup file in a toast', async ({ page, engine }) => {
  await openApp(page, engine)
  await page.keyboard.press('Control+K')
  await page.keyboard.type('back up')
  await expect(page.getByRole('option').first()).toContainText('Back up database now')
  await page.keyboard.press('Enter')

  const toast = page.getByTestId('toast').filter({ hasText: 'Database backed up' })
  await expect(toast).toBeVisible()
  const detail = (await toast.locator('.toast-detail').textContent()) ?? ''
  const backupPath = detail.split(' · ')[0]!
  expect(backupPath.startsWith(engine.dataDir + path.sep)).toBe(true)
  expect(fs.statSync(backupPath).size).toBeGreaterThan(0)
  // The engine recorded it, and the activity stream brought it in live.
  await expect(page.getByTestId('activity-rows')).toContainText(`Database backed up to ${backupPath}`)
})

test("an out-of-range font size shows the engine's refusal and stores nothing", async ({ page, engine }) => {
  await openApp(page, engine)
  await page.keyboard.press('Control+,')
  await expect(page.getByTestId('settings-page')).toBeVisible()

  // What the engine says about 99, asked directly.
  const refused = await engineCall(engine, 'settings.set', { key: 'ui.fontSize', value: 99 })
  expect(refused.ok).toBe(false)
  const message = refused.ok ? '' : refused.error.message

  const input = control(page, 'ui.fontSize')
  await input.focus()
  await page.keyboard.press('Control+A')
  await page.keyboard.type('99')
  await page.keyboard.press('Enter')
  const error = page.getByTestId('error-ui.fontSize')
  await expect(error).toHaveText(message)
  await expect(error).toContainText('Font size: enter a whole number from 10 to 18')
  await expect(input).toHaveAttribute('aria-invalid', 'true')
  expect(await storedSetting(engine, 'ui.fontSize')).toBe(12)

  // Escape drops the refused draft and shows the stored value again.
  await page.keyboard.press('Escape')
  await expect(input).toHaveValue('12')
  await expect(error).toHaveCount(0)

  // A cleared field is refused as missing, in the same words, and Escape brings the stored value back.
  await page.keyboard.press('Control+A')
  await page.keyboard.press('Backspace')
  await page.keyboard.press('Enter')
  await expect(error).toHaveText('Font size: a value is required — enter a whole number from 10 to 18')
  await page.keyboard.press('Escape')
  await expect(input).toHaveValue('12')

  await page.keyboard.press('Control+A')
  await page.keyboard.type('99')
  await page.keyboard.press('Enter')
  await expect(error).toHaveText(message)
  await page.reload()
  await expect(control(page, 'ui.fontSize')).toHaveValue('12')
  await expect(page.getByTestId('error-ui.fontSize')).toHaveCount(0)
  await expect(page.locator('body')).toHaveCSS('font-size', '12px')
})

test('a change made in another window shows up live, and Reset goes back to the default', async ({
  page,
  engine,
}) => {
  await openApp(page, engine, '#settings')
  await expect(control(page, 'ui.density')).toHaveValue('compact')

  expect((await engineCall(engine, 'settings.set', { key: 'ui.density', value: 'comfortable' })).ok).toBe(true)
  await expect(control(page, 'ui.density')).toHaveValue('comfortable')
  await expect(page.locator('html')).toHaveAttribute('data-density', 'comfortable')

  await page.getByTestId('reset-ui.density').click()
  await expect(control(page, 'ui.density')).toHaveValue('compact')
  await expect.poll(() => storedSetting(engine, 'ui.density')).toBe('compact')

  // The status bar clock follows the time settings, wherever they are changed.
  const clock = page.getByTestId('status-clock')
  await expect(clock).toHaveText(/^\d{2}:\d{2}:\d{2} local$/)
  expect((await engineCall(engine, 'settings.set', { key: 'ui.clock24h', value: false })).ok).toBe(true)
  expect((await engineCall(engine, 'settings.set', { key: 'ui.timeZone', value: 'utc' })).ok).toBe(true)
  await expect(clock).toHaveText(/^\d{1,2}:\d{2}:\d{2} [AP]M UTC$/)
  await expect(control(page, 'ui.clock24h')).not.toBeChecked()
  await expect(control(page, 'ui.timeZone')).toHaveValue('utc')
})

test('the status bar shows when the engine goes away', async ({ page }) => {
  const own = await startHeadless()
  try {
    await page.goto(own.url)
    const connection = page.getByTestId('status-connection')
    await expect(connection).toHaveAttribute('data-state', 'connected')
    await own.stop()
    await expect(connection).toHaveAttribute('data-state', 'reconnecting')
    await expect(connection).toHaveText('Reconnecting…')
  } finally {
    await own.stop()
  }
})

test('F6 cycles focus through the regions; Mod+/ lists the shortcuts and Escape gives focus back', async ({
  page,
  engine,
}) => {
  await openApp(page, engine)
  const focusedRegion = page.locator('[data-focus-region]:focus-within')

  await page.keyboard.press('F6')
  await expect(focusedRegion).toHaveAttribute('data-testid', 'sidebar')
  await page.keyboard.press('F6')
  await expect(focusedRegion).toHaveAttribute('data-testid', 'panel-engine')
  await page.keyboard.press('F6')
  await expect(focusedRegion).toHaveAttribute('data-testid', 'panel-shortcuts')
  await page.keyboard.press('Shift+F6')
  await expect(focusedRegion).toHaveAttribute('data-testid', 'panel-engine')

  await page.keyboard.press('Control+/')
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText('Focus previous panel')
  await expect(dialog).toContainText('Theme: High contrast')
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(focusedRegion).toHaveAttribute('data-testid', 'panel-engine')

  // The panel split is keyboard-resizable through its separators.
  const split = page.getByRole('separator', { name: 'Resize left column and Activity' })
  const before = Number(await split.getAttribute('aria-valuenow'))
  await split.focus()
  await page.keyboard.press('ArrowRight')
  await expect.poll(async () => Number(await split.getAttribute('aria-valuenow'))).toBeGreaterThan(before)
  await page.keyboard.press('ArrowLeft')
  await expect.poll(async () => Number(await split.getAttribute('aria-valuenow'))).toBeCloseTo(before, 0)
  // From a separator, F6 and Shift+F6 go to the regions on either side of it.
  await page.keyboard.press('F6')
  await expect(focusedRegion).toHaveAttribute('data-testid', 'panel-activity')
  await split.focus()
  await page.keyboard.press('Shift+F6')
  await expect(focusedRegion).toHaveAttribute('data-testid', 'panel-shortcuts')
  await page.keyboard.press('Shift+F6')
  await expect(focusedRegion).toHaveAttribute('data-testid', 'panel-engine')

  // The palette's Escape also returns focus where it was.
  await page.keyboard.press('Control+K')
  await expect(page.getByRole('dialog', { name: 'Command palette' })).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog', { name: 'Command palette' })).toBeHidden()
  await expect(focusedRegion).toHaveAttribute('data-testid', 'panel-engine')
})

test('a modal dialog keeps focus inside after a click on its text, and Escape still closes it', async ({ page, engine }) => {
  await openApp(page, engine)
  const inDialog = () => page.evaluate<boolean>("!!document.activeElement?.closest('[role=dialog]')")
  await page.keyboard.press('Control+/')
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(dialog).toBeVisible()

  // Reading the dialog, the user clicks its title: focus lands on the dialog box itself.
  await dialog.getByRole('heading', { name: 'Keyboard shortcuts' }).click()
  await page.keyboard.press('Shift+Tab')
  expect(await inDialog()).toBe(true)
  await page.keyboard.press('Shift+Tab')
  expect(await inDialog()).toBe(true)
  await dialog.getByRole('heading', { name: 'Keyboard shortcuts' }).click()
  await page.keyboard.press('Tab')
  expect(await inDialog()).toBe(true)

  // Focus sent behind the dialog by other means (a script, assistive technology) comes back to it.
  await page.evaluate("document.getElementById('main')?.focus()")
  expect(await inDialog()).toBe(true)

  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
})

test('an error toast is announced at once (assertive), a success toast politely, each by one live region', async ({ page, engine }) => {
  await openApp(page, engine)
  // The live regions a toast sits in, from itself outward: aria-live, or its role's implicit politeness.
  const regionsOf = (text: string) =>
    page.evaluate<string[]>(`(() => {
      const toast = [...document.querySelectorAll('[data-testid="toast"]')].find((t) => t.textContent.includes(${JSON.stringify(text)}))
      const found = []
      for (let n = toast; n; n = n.parentElement) {
        const live = n.getAttribute('aria-live') ?? ({ alert: 'assertive', status: 'polite', log: 'polite' })[n.getAttribute('role')]
        if (live) found.push(live)
      }
      return found
    })()`)
  // The regions are on the page before anything is said in them, so screen readers are listening.
  await expect(page.locator('[data-testid="toasts"] [role="alert"]')).toHaveCount(1)

  // Lock now with no passphrase set: refused, an error.
  await page.keyboard.press('Alt+Shift+L')
  await expect(page.getByTestId('toast').filter({ hasText: 'Could not lock' })).toBeVisible()
  expect(await regionsOf('Could not lock')).toEqual(['assertive'])

  await page.keyboard.press('Control+K')
  const palette = page.getByRole('dialog', { name: 'Command palette' })
  await page.keyboard.type('back up')
  await expect(palette.getByRole('option').first()).toContainText('Back up database now')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('toast').filter({ hasText: 'Database backed up' })).toBeVisible()
  expect(await regionsOf('Database backed up')).toEqual(['polite'])
})

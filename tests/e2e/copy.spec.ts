import type { Page } from '@playwright/test'
import { test, expect } from './fixtures'
import { engineCall, openApp, type Reply } from './app-helpers'
import type { HeadlessProcess } from '../support/headless-process'

// Copy trading against a real headless engine and its simulated exchange, by keyboard: open the page,
// follow a simulated trader with the paper account (fixed quote per trade), see the engine refuse an
// allocation of 0 and a symbol map onto a market that does not exist (each next to its field), see copy
// records appear as the trader trades (copied, or skipped with the rule and the reason), pause and resume
// the relationship from its table, and unfollow it. The traders trade on their own schedule: every wait is
// a polling expectation.

function value<T>(reply: Reply): T {
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`)
  return reply.value as T
}

interface Trader {
  id: string
  fills: number
}
interface Follow {
  id: string
  status: string
  settings: { leaderId: string; followerVenueId: string; sizing: { mode: string; value?: string }; allocationPct: string }
}
interface CopyRecord {
  id: string
  followId: string
  status: string
  rule: string | null
  reason: string | null
}

async function palette(page: Page, query: string, title: RegExp): Promise<void> {
  await page.keyboard.press('Control+K')
  await page.keyboard.type(query)
  await expect(page.getByTestId('command-palette').getByRole('option').first()).toContainText(title)
  await page.keyboard.press('Enter')
}

/**
 * The simulated trader that trades most steadily: the first whose fills grew at three separate polls (a
 * second apart) since this was called. (Not the most fills: a reckless trader fills three times in one
 * burst and may then wait minutes, longer than the test waits for a copy.)
 */
async function busiestTrader(engine: HeadlessProcess): Promise<string> {
  const last = new Map(value<Trader[]>(await engineCall(engine, 'sim.traders')).map((t) => [t.id, t.fills]))
  const grew = new Map<string, number>()
  let best: string | undefined
  await expect
    .poll(
      async () => {
        for (const t of value<Trader[]>(await engineCall(engine, 'sim.traders'))) {
          if (t.fills > (last.get(t.id) ?? 0)) grew.set(t.id, (grew.get(t.id) ?? 0) + 1)
          last.set(t.id, t.fills)
        }
        best = [...grew].sort((x, y) => y[1] - x[1])[0]?.[0]
        return best === undefined ? 0 : (grew.get(best) as number)
      },
      { timeout: 90_000, intervals: [1000] },
    )
    .toBeGreaterThanOrEqual(3)
  return `sim:${best!}`
}

test('Copy trading: follow a simulated trader with the paper account, refusals, records, pause/resume, unfollow', async ({ page, engine }) => {
  test.setTimeout(240_000)
  const problems = await openApp(page, engine)
  const leaderId = await busiestTrader(engine)

  // The page by its key; the leaders are the engine's, the chosen trader among them.
  await page.keyboard.press('Control+9')
  await expect(page.getByTestId('copy-page')).toBeVisible()
  const leaderRows = page.getByTestId('copy-leader-row')
  await expect(page.locator(`[data-testid="copy-leader-row"][data-leader-id="${leaderId}"]`)).toBeVisible()
  const ids = await leaderRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-leader-id')))
  const index = ids.indexOf(leaderId)
  expect(index).toBeGreaterThanOrEqual(0)

  // Select it by keyboard; its live trade feed shows its fills.
  await palette(page, 'focus leaders', /Copy: focus leaders/)
  await expect(page.getByTestId('copy-leaders-table')).toBeFocused()
  await page.keyboard.press('Home')
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown')
  await expect(leaderRows.nth(index)).toHaveAttribute('aria-selected', 'true')
  await expect.poll(() => page.getByTestId('copy-leader-fill').count(), { timeout: 30_000 }).toBeGreaterThan(0)
  await expect(page.getByTestId('copy-leader-fill').first()).toContainText(/buy|sell/)

  // Enter fills the Follow form with this leader; the paper account and fixed-quote sizing are the defaults.
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('follow-leader')).toHaveValue(leaderId)
  await expect(page.getByTestId('follow-follower')).toHaveValue('sim')
  await expect(page.getByTestId('follow-sizing-mode')).toHaveValue('fixed-quote')
  await expect(page.getByTestId('follow-sizing-value')).toBeFocused()
  await page.keyboard.type('50')

  // An allocation of 0 is refused by the engine, next to the allocation field (which gets focus).
  await page.keyboard.press('Tab')
  await expect(page.getByTestId('follow-allocation')).toBeFocused()
  await page.keyboard.press('Control+A')
  await page.keyboard.type('0')
  await page.keyboard.press('Control+Enter')
  await expect(page.getByTestId('follow-error-allocationPct')).toContainText(/greater than zero/)
  await expect(page.getByTestId('follow-allocation')).toBeFocused()
  await expect(page.getByTestId('follow-allocation')).toHaveAttribute('aria-invalid', 'true')
  expect(value<Follow[]>(await engineCall(engine, 'copy.follows'))).toHaveLength(0)
  await page.keyboard.press('Control+A')
  await page.keyboard.type('10')

  // A symbol map onto a market the paper account does not have is refused next to that row.
  await page.getByTestId('follow-map-add').focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('follow-map-from')).toBeFocused()
  await page.keyboard.type('btc/usdt')
  await page.keyboard.press('Tab')
  await page.keyboard.type('btc/nope')
  await page.keyboard.press('Control+Enter')
  await expect(page.getByTestId('follow-error-symbolMap-0-to')).toContainText('BTC/NOPE')
  await expect(page.getByTestId('follow-map-to')).toBeFocused()
  await page.screenshot({ path: '/tmp/copy-ui-refusal.png' })
  expect(value<Follow[]>(await engineCall(engine, 'copy.follows'))).toHaveLength(0)
  // Drop the row (its remove button, by keyboard) and follow.
  await page.keyboard.press('Tab')
  await expect(page.getByTestId('follow-map-remove')).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('follow-map-row')).toHaveCount(0)
  await page.getByTestId('follow-allocation').focus()
  await page.keyboard.press('Control+Enter')

  // The relationship is the engine's: active, paper account, 50 quote per trade, 10 %.
  const followRow = page.locator(`[data-testid="copy-follow-row"][data-leader-id="${leaderId}"]`)
  await expect(followRow).toHaveAttribute('data-status', 'active')
  const followId = (await followRow.getAttribute('data-follow-id'))!
  const stored = value<Follow[]>(await engineCall(engine, 'copy.follows')).find((f) => f.id === followId)!
  expect(stored.settings).toMatchObject({ leaderId, followerVenueId: 'sim', sizing: { mode: 'fixed-quote', value: '50' }, allocationPct: '10' })
  await expect(page.getByTestId('copy-stat-active')).toHaveText('1')
  await expect(page.getByTestId('copy-stat-leaders')).toHaveText('1')
  await expect(page.locator(`[data-testid="copy-leader-row"][data-leader-id="${leaderId}"]`).getByTestId('copy-leader-followers')).toHaveText('1')

  // As the trader trades, copy records appear live: each copied, or skipped with its rule and reason.
  const records = page.locator(`[data-testid="copy-record-row"][data-follow-id="${followId}"]`)
  const settled = page.locator(
    `[data-testid="copy-record-row"][data-follow-id="${followId}"]:is([data-status="copied"], [data-status="partial"], [data-status="skipped"], [data-status="failed"])`,
  )
  await expect.poll(() => settled.count(), { timeout: 120_000, intervals: [1000] }).toBeGreaterThan(0)
  await page.screenshot({ path: '/tmp/copy-ui-records.png' })
  const first = settled.first()
  const status = await first.getAttribute('data-status')
  const recordId = (await first.getAttribute('data-record-id'))!
  const engineRecords = value<CopyRecord[]>(await engineCall(engine, 'copy.records', { followId }))
  const engineRecord = engineRecords.find((r) => r.id === recordId)
  expect(engineRecord, 'the row is one of the engine’s records').toBeDefined()
  if (status === 'skipped') {
    expect(engineRecord!.rule).not.toBeNull()
    await expect(first.getByTestId('copy-record-rule')).not.toBeEmpty()
    await expect(first.getByTestId('copy-record-reason')).toHaveText(engineRecord!.reason ?? '')
  } else if (status === 'copied' || status === 'partial') {
    await expect(first.getByTestId('copy-record-follower')).toContainText('/')
  }
  expect(await records.count()).toBeGreaterThan(0)

  // Pause and resume from the relationships table: P toggles; the engine holds the same state.
  await palette(page, 'focus relationships', /Copy: focus relationships/)
  await expect(page.getByTestId('copy-follows-table')).toBeFocused()
  await page.keyboard.press('Home')
  await expect(followRow).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('p')
  await expect(followRow).toHaveAttribute('data-status', 'paused')
  expect(value<Follow[]>(await engineCall(engine, 'copy.follows')).find((f) => f.id === followId)?.status).toBe('paused')
  await expect(page.getByTestId('copy-stat-active')).toHaveText('0')
  await page.keyboard.press('p')
  await expect(followRow).toHaveAttribute('data-status', 'active')
  expect(value<Follow[]>(await engineCall(engine, 'copy.follows')).find((f) => f.id === followId)?.status).toBe('active')

  // The drift view of the selected relationship is on screen (the engine's rows or its empty state).
  await expect(page.getByTestId('panel-copy-drift')).toContainText(/Drift/)

  // E edits the relationship's settings in the form (filled with what the engine holds); Mod+Enter saves.
  await page.keyboard.press('e')
  await expect(page.getByTestId('follow-form')).toHaveAttribute('data-editing', followId)
  await expect(page.getByTestId('follow-sizing-value')).toBeFocused()
  await expect(page.getByTestId('follow-sizing-value')).toHaveValue('50')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Control+A')
  await page.keyboard.type('20')
  await page.keyboard.press('Control+Enter')
  await expect(page.getByTestId('follow-form')).toHaveCount(0)
  await expect(page.getByTestId('copy-follows-table')).toBeFocused()
  await expect
    .poll(async () => value<Follow[]>(await engineCall(engine, 'copy.follows')).find((f) => f.id === followId)?.settings.allocationPct)
    .toBe('20')
  await expect(followRow).toContainText('20%')

  // Unfollow: Delete, then the confirm step (Enter). The engine no longer counts it as active.
  await page.keyboard.press('Delete')
  await expect(page.getByTestId('trading-confirm')).toBeVisible()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('trading-confirm')).toHaveCount(0)
  await expect
    .poll(async () => value<Follow[]>(await engineCall(engine, 'copy.follows')).find((f) => f.id === followId)?.status ?? 'gone')
    .toMatch(/^(stopped|gone)$/)
  await expect(page.locator(`[data-testid="copy-follow-row"][data-follow-id="${followId}"][data-status="active"]`)).toHaveCount(0)
  await expect(page.getByTestId('copy-stat-active')).toHaveText('0')

  expect(problems, 'no console errors').toEqual([])
})

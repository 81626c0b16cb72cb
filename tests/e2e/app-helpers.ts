import WebSocket from 'ws'
import { expect, type Locator, type Page } from '@playwright/test'
import type { HeadlessProcess } from '../support/headless-process'

// Helpers shared by the end-to-end specs: the engine's own contract over the headless door (to check what
// is stored, independently of the page), opening the app, and readying the key store.

export type Reply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }

/** One command over the headless door's WebSocket, as a second client of the same engine. */
export function engineCall(engine: HeadlessProcess, name: string, input: unknown = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${engine.origin.replace('http', 'ws')}/ws?token=${engine.token}`, { origin: engine.origin })
    ws.on('error', reject)
    ws.on('open', () => ws.send(JSON.stringify({ t: 'invoke', id: 'x1', name, input })))
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { t: string; id?: string; reply?: Reply }
      if (frame.t === 'reply' && frame.id === 'x1' && frame.reply) {
        ws.close()
        resolve(frame.reply)
      }
    })
  })
}

export interface StoredAccount {
  id: string
  label: string
  apiBaseUrl: string | null
}

export async function storedAccounts(engine: HeadlessProcess): Promise<StoredAccount[]> {
  const reply = await engineCall(engine, 'accounts.list')
  if (!reply.ok) throw new Error(reply.error.message)
  return reply.value as StoredAccount[]
}

/** Opens the app, waits until it is connected, and collects console errors (CSP violations included). */
export async function openApp(page: Page, engine: HeadlessProcess, hash = ''): Promise<string[]> {
  const problems: string[] = []
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()))
  page.on('pageerror', (e) => problems.push(e.message))
  await page.goto(`${engine.url}${hash}`)
  await expect(page.getByTestId('status-connection')).toHaveAttribute('data-state', 'connected')
  await expect(page.locator('html')).toHaveAttribute('data-theme', /.+/)
  return problems
}

export const accountField = (page: Page, name: string) => page.locator(`[id="account-field-${name}"]`)

/** The y (px, in the candle chart's host) of the line drawn for an order, trigger or alert; null when not drawn. */
export async function chartLineY(host: Locator, id: string): Promise<number | null> {
  const y = ((await host.getAttribute('data-order-line-ys')) ?? '').split(';').find((e) => e.startsWith(`${id}@`))?.split('@')[1]
  return y === undefined || y === '' ? null : Number(y)
}

/** Picks a chart line up (the cursor says it can be dragged), moves it dy px in a few steps and drops it. */
export async function dragChartLine(page: Page, host: Locator, id: string, dy: number): Promise<void> {
  await expect.poll(() => chartLineY(host, id)).not.toBeNull()
  const box = (await host.boundingBox())!
  const x = box.x + box.width * 0.4
  let y = 0
  // The live market rescales the chart now and then, moving the line between reading its y and getting
  // there: hover where it is now until the cursor says the line is under it.
  await expect
    .poll(
      async () => {
        const at = await chartLineY(host, id)
        if (at === null) return 'not drawn'
        y = box.y + at
        await page.mouse.move(x, y)
        return host.evaluate((el) => getComputedStyle(el).cursor)
      },
      { intervals: [50, 100, 200, 400] },
    )
    .toBe('ns-resize')
  await page.mouse.down()
  await page.mouse.move(x, y + dy / 2, { steps: 3 })
  await page.mouse.move(x, y + dy, { steps: 3 })
  await page.mouse.up()
}

import WebSocket from 'ws'
import { expect, type Page } from '@playwright/test'
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

import { test, expect } from './fixtures'
import WebSocket from 'ws'
import { openApp } from './app-helpers'
import { DOOR_PROTOCOL, tokenProtocol } from '../../src-main/api/door-protocol'

// The headless door lets in only the holder of the printed token, from its own origin. The page itself
// holds no data and is served to anyone; the token guards the engine's socket, and is never a cookie
// (a cookie for 127.0.0.1 would reach every other server on the machine).
test('the page loads without the token and sets no cookie; the app connects with the token', async ({ engine, request, page, context }) => {
  const bare = await request.get(`${engine.origin}/`)
  expect(bare.status()).toBe(200)
  expect(bare.headers()['set-cookie']).toBeUndefined()
  expect(bare.headers()['content-security-policy']).toContain("script-src 'self'")
  expect(bare.headers()['referrer-policy']).toBe('no-referrer')
  const problems = await openApp(page, engine)
  expect(await context.cookies()).toEqual([])
  expect(problems).toEqual([])
})

test('a tab opened without the right token says to open the printed address', async ({ engine, page }) => {
  await page.goto(`${engine.origin}/?token=not-the-token`)
  await expect(page.getByTestId('status-connection')).toHaveAttribute('data-state', 'tokenChanged', { timeout: 15_000 })
})

test('a foreign Origin is refused', async ({ engine, request }) => {
  const res = await request.get(engine.url, { headers: { origin: 'http://evil.example' } })
  expect(res.status()).toBe(403)
})

test('a WebSocket without the token, with it only in a cookie, or from a foreign origin, is refused', async ({ engine }) => {
  const status = (url: string, origin: string, options: { protocols?: string[]; cookie?: string } = {}) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(url, options.protocols ?? [], { origin, headers: options.cookie ? { cookie: options.cookie } : {} })
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.on('open', () => {
        ws.close()
        resolve(101)
      })
      ws.on('error', () => {})
    })
  const wsBase = engine.origin.replace('http', 'ws')
  const withToken = [DOOR_PROTOCOL, tokenProtocol(engine.token)]
  expect(await status(`${wsBase}/ws`, engine.origin)).toBe(401)
  expect(await status(`${wsBase}/ws`, engine.origin, { cookie: `co_token=${engine.token}` })).toBe(401)
  expect(await status(`${wsBase}/ws`, 'http://evil.example', { protocols: withToken })).toBe(403)
  expect(await status(`${wsBase}/ws`, engine.origin, { protocols: withToken })).toBe(101)
})

import { test, expect } from './fixtures'
import WebSocket from 'ws'

// The headless door lets in only the holder of the printed token, from its own origin.
test('a request without the token is refused, with it the app loads', async ({ engine, request }) => {
  const bare = await request.get(`${engine.origin}/`)
  expect(bare.status()).toBe(401)
  const wrong = await request.get(`${engine.origin}/?token=not-the-token`)
  expect(wrong.status()).toBe(401)
  const asset = await request.get(`${engine.origin}/assets/anything.js`)
  expect(asset.status()).toBe(401)
  const good = await request.get(engine.url)
  expect(good.status()).toBe(200)
  expect(good.headers()['content-security-policy']).toContain("script-src 'self'")
})

test('a foreign Origin is refused even with the token', async ({ engine, request }) => {
  const res = await request.get(engine.url, { headers: { origin: 'http://evil.example' } })
  expect(res.status()).toBe(403)
})

test('a WebSocket without the token, or from a foreign origin, is refused', async ({ engine }) => {
  const status = (url: string, origin: string) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(url, { origin })
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.on('open', () => {
        ws.close()
        resolve(101)
      })
      ws.on('error', () => {})
    })
  const wsBase = engine.origin.replace('http', 'ws')
  expect(await status(`${wsBase}/ws`, engine.origin)).toBe(401)
  expect(await status(`${wsBase}/ws?token=${engine.token}`, 'http://evil.example')).toBe(403)
  expect(await status(`${wsBase}/ws?token=${engine.token}`, engine.origin)).toBe(101)
})

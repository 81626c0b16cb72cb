import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { deliverWebhook, type HttpAnswer, type HttpPost } from '../../src-main/alerts/webhook'

// When a webhook delivery is tried again and when it gives up: 429 / 5xx / network errors are retried
// with the backoff, any other 4xx is final, a timeout is final (the receiver may have acted), and the result
// says what happened.

function scripted(answers: (number | Error | 'hang')[]): { post: HttpPost; calls: string[] } {
  const calls: string[] = []
  const post: HttpPost = (url, body, signal) => {
    calls.push(`${url} ${body}`)
    const a = answers.shift()
    if (a === 'hang') return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))))
    if (a instanceof Error) return Promise.reject(a)
    return Promise.resolve(a ?? 200)
  }
  return { post, calls }
}

const waits: number[] = []
const sleep = (ms: number) => {
  waits.push(ms)
  return Promise.resolve()
}

describe('webhook delivery', () => {
  it('delivers on the first 2xx, sending the JSON body once', async () => {
    const s = scripted([201])
    const r = await deliverWebhook('http://h/x', { a: 1 }, { post: s.post, sleep })
    expect(r).toEqual({ delivered: true, detail: 'HTTP 201', attempts: 1 })
    expect(s.calls).toEqual(['http://h/x {"a":1}'])
  })

  it('retries 503, a refused connection and 429 with the backoff, then delivers', async () => {
    waits.length = 0
    const refused = Object.assign(new Error('fetch failed'), { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') })
    const s = scripted([503, refused, 429, 200])
    const r = await deliverWebhook('http://h/x', {}, { post: s.post, sleep, attempts: 4, backoffMs: [10, 20] })
    expect(r).toEqual({ delivered: true, detail: 'HTTP 200', attempts: 4 })
    expect(waits).toEqual([10, 20, 20])
  })

  it('gives up at once on a 404 (the receiver said no), and after the attempts on a network error, naming its cause', async () => {
    const notFound = scripted([404, 200])
    expect(await deliverWebhook('http://h/x', {}, { post: notFound.post, sleep })).toEqual({ delivered: false, detail: 'HTTP 404', attempts: 1 })
    const refused = Object.assign(new Error('fetch failed'), { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') })
    const down = scripted([refused, refused, refused])
    expect(await deliverWebhook('http://h/x', {}, { post: down.post, sleep })).toEqual({
      delivered: false,
      detail: 'connect ECONNREFUSED 127.0.0.1:9 after 3 attempts',
      attempts: 3,
    })
  })

  it('a receiver that does not answer in time is not sent it again: it may have acted on it already', async () => {
    const s = scripted(['hang', 204])
    const r = await deliverWebhook('http://h/x', {}, { post: s.post, sleep, timeoutMs: 20 })
    expect(r).toEqual({ delivered: false, detail: 'no answer within 0.02 s (it may have arrived: not sent again)', attempts: 1 })
    expect(s.calls).toHaveLength(1)
  })

  it('every attempt carries the same idempotency key, for receivers that deduplicate retries', async () => {
    const keys: (string | undefined)[] = []
    const answers = [503, 200]
    const post: HttpPost = (_url, _body, _signal, key) => {
      keys.push(key)
      return Promise.resolve(answers.shift() ?? 200)
    }
    expect(await deliverWebhook('http://h/x', {}, { post, sleep }, 'co-alert-7')).toMatchObject({ delivered: true, attempts: 2 })
    expect(keys).toEqual(['co-alert-7', 'co-alert-7'])
  })
})

describe('webhook Retry-After', () => {
  const answer = (status: number, retryAfter: string | null): HttpAnswer => ({ status, retryAfter })

  it('waits what a 429 asks (seconds or an HTTP date) before trying again', async () => {
    waits.length = 0
    const now = Date.parse('2026-01-01T00:00:00Z')
    const s = scripted([])
    const answers = [answer(429, '7'), answer(429, 'Thu, 01 Jan 2026 00:00:12 GMT'), answer(200, null)]
    const post: HttpPost = (...args) => s.post(...args).then(() => answers.shift()!)
    const r = await deliverWebhook('http://h/x', {}, { post, sleep, now: () => now, backoffMs: [10, 20] })
    expect(r).toEqual({ delivered: true, detail: 'HTTP 200', attempts: 3 })
    expect(waits).toEqual([7000, 12000])
  })

  it('gives up at once, saying so, when asked to wait longer than a minute', async () => {
    waits.length = 0
    const answers = [answer(429, '120'), answer(200, null)]
    const post: HttpPost = () => Promise.resolve(answers.shift()!)
    expect(await deliverWebhook('http://h/x', {}, { post, sleep })).toEqual({ delivered: false, detail: 'HTTP 429 (asked to wait 120 s)', attempts: 1 })
    expect(waits).toEqual([])
  })

  it('reads the header from a real answer', async () => {
    waits.length = 0
    let n = 0
    const server = http.createServer((_req, res) => {
      n++
      if (n === 1) res.writeHead(429, { 'retry-after': '3' }).end()
      else res.writeHead(204).end()
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
      expect(await deliverWebhook(url, {}, { sleep, backoffMs: [10, 20] })).toEqual({ delivered: true, detail: 'HTTP 204', attempts: 2 })
      expect(waits).toEqual([3000])
    } finally {
      server.close()
    }
  })
})

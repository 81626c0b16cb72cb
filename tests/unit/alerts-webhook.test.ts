import { describe, expect, it } from 'vitest'
import { deliverWebhook, type HttpPost } from '../../src-main/alerts/webhook'

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

import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import WebSocket from 'ws'
import { createBinanceFixture, seedLadder } from '../../support/binance/fixture'
import { BookMirror } from './book-mirror'
import { startPacedFlow } from './paced-flow'
import { BOOK_DEPTH, FLOW_MARKETS, type ExchangeReply, type ExchangeRequest, type SentRecord } from './exchange-protocol'

// The stream bench's exchange, in a process of its own (started by ./exchange-client.ts with fork; argv[2] =
// depth messages per second per market): the local Binance server on the 5 markets and the paced order flow
// that changes each book that many times a second, one depth message per change tick. Apart from the bench's
// driver (Playwright) and in a scheduling group of its own (raisePriority below), its timer and sends wait
// behind nothing of the system under test.
//
// Send times: a hook on ws's WebSocket.prototype.send (this process's sockets are only the server's) stamps
// each depthUpdate with the wall clock (performance.timeOrigin + performance.now(), as the pages do) at its
// first send, and notes a hash of the book's top BOOK_DEPTH levels right after the message's final update id
// u: from a mirror of the book seeded from the engine at the market's first message (the send runs
// synchronously inside the flush, so the engine's book is then exactly the state after u) and kept by
// applying each message's levels (cheaper than a formatted engine snapshot per send).

const perSecond = Number(process.argv[2] ?? 100)
const wall = () => performance.timeOrigin + performance.now()
const send = (reply: ExchangeReply) => process.send?.(reply)
const KEEP_MS = 90_000

interface DepthMessage {
  s: string
  u: number
  b: [string, string][]
  a: [string, string][]
}

/**
 * The exchange stands for a venue on another machine: it is the load, not what is measured, and it must not
 * starve on a loaded shared machine. Linux schedules CPU fairly between autogroups (one per session), then
 * between the processes inside each: the client forks this process detached (a session, so an autogroup, of
 * its own), and here it asks for a higher weight for that group (it needs about a quarter of a core). The
 * engine, chromium and the driver stay in the bench's own group, at the default priority. Returns what it got.
 */
function raisePriority(): string {
  try {
    fs.writeFileSync('/proc/self/autogroup', '-10')
    return `own autogroup at nice -10 (${fs.readFileSync('/proc/self/autogroup', 'utf8').trim()})`
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? String(e)
    try {
      os.setPriority(-10)
      return `nice -10 (no autogroup weight: ${why})`
    } catch (e2) {
      return `default (raising it was refused: ${why}, ${(e2 as NodeJS.ErrnoException).code ?? String(e2)})`
    }
  }
}

async function main(): Promise<void> {
  const priority = raisePriority()
  // The server's own @100ms window timer stays at Binance's 100 ms: the flow flushes each tick itself, so the
  // timer only finds an empty buffer (a 1 ms timer would just burn this process's CPU).
  const fx = await createBinanceFixture()
  fx.engine.deposit('maker', 'SOL', '100000')
  fx.engine.deposit('maker', 'XRP', '10000000')
  seedLadder(fx.engine, 'SOL/USDT', '180', '0.1', '10', 20)
  seedLadder(fx.engine, 'XRP/USDT', '2.5', '0.001', '1000', 20)
  seedLadder(fx.engine, 'ETH/BTC', '0.036', '0.00001', '1', 20)

  const idToSymbol = new Map(FLOW_MARKETS.map((m) => [m.symbol.replace('/', ''), m.symbol]))
  const records: SentRecord[] = []
  const byId = new Map<string, SentRecord>()
  const mirrors = new Map<string, BookMirror>()
  const proto = WebSocket.prototype as unknown as { send: (this: WebSocket, data: unknown, ...rest: unknown[]) => void }
  const originalSend = proto.send
  proto.send = function (this: WebSocket, data: unknown, ...rest: unknown[]) {
    const t = wall()
    originalSend.call(this, data, ...rest)
    if (typeof data !== 'string' || !data.includes('"depthUpdate"')) return
    // Combined streams (/stream?streams=…, the raw-hop page) wrap the message as {stream, data}; ccxt's
    // connections (/ws/<n>) get it bare.
    const combined = data.startsWith('{"stream"')
    const parsed = JSON.parse(data) as { data?: DepthMessage } & Partial<DepthMessage>
    const msg = (parsed.data ?? parsed) as DepthMessage
    const id = `${msg.s}:${msg.u}`
    const seen = byId.get(id)
    if (seen !== undefined) {
      seen[4] |= combined ? 2 : 1
      return
    }
    const symbol = idToSymbol.get(msg.s)
    if (symbol === undefined) return
    let mirror = mirrors.get(msg.s)
    if (mirror === undefined) {
      // First message of this market: the engine's book is exactly the state after u (see above).
      mirror = new BookMirror(fx.engine.book(symbol))
      mirrors.set(msg.s, mirror)
    } else mirror.apply(msg.b, msg.a)
    const key = createHash('sha1').update(mirror.topKey(BOOK_DEPTH)).digest('base64')
    const record: SentRecord = [msg.s, msg.u, t, key, combined ? 2 : 1]
    records.push(record)
    byId.set(id, record)
    if (records.length > 1000 && records[0]![2] < t - KEEP_MS) {
      const cut = records.findIndex((r) => r[2] >= t - KEEP_MS)
      for (const r of records.splice(0, cut)) byId.delete(`${r[0]}:${r[1]}`)
    }
  }

  const flow = startPacedFlow(fx.engine, FLOW_MARKETS, perSecond, () => fx.server.flushDepth())

  process.on('message', (req: ExchangeRequest) => {
    if (req.t === 'collect') {
      send({
        t: 'collected',
        records: records.filter((r) => r[2] >= req.from && r[2] <= req.to),
        wakes: flow.wakes().filter(([at]) => at >= req.from && at <= req.to),
        ticks: flow.ticks(),
        dropped: flow.dropped(),
        rejected: flow.rejected(),
        unchanged: flow.unchanged(),
      })
    } else if (req.t === 'counters') {
      send({ t: 'counters', at: wall(), ticks: flow.ticks(), dropped: flow.dropped(), rejected: flow.rejected(), unchanged: flow.unchanged() })
    } else if (req.t === 'stop') {
      flow.stop()
      proto.send = originalSend
      void fx.close().finally(() => process.exit(0))
    }
  })
  send({ t: 'ready', priority, restUrl: fx.server.restUrl, wsUrl: fx.server.wsUrl, apiKey: fx.keys.trader.apiKey, secret: fx.keys.trader.secret })
}

main().catch((e: unknown) => {
  send({ t: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) })
  process.exit(1)
})
// The bench's process went away without stopping us: do not linger.
process.on('disconnect', () => process.exit(0))

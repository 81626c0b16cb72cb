import { fork, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import type { ExchangeReply, ExchangeRequest } from './exchange-protocol'

// Starts ./exchange-process.ts (the local Binance server + paced flow) in its own Node process and talks to it.

type Ready = Extract<ExchangeReply, { t: 'ready' }>
type Collected = Extract<ExchangeReply, { t: 'collected' }>
type Counters = Extract<ExchangeReply, { t: 'counters' }>

export interface ExchangeProcess extends Omit<Ready, 't'> {
  pid: number
  counters(): Promise<Counters>
  /** Send records and flow wake-ups between two wall-clock times, and the flow's counters now. */
  collect(from: number, to: number): Promise<Collected>
  stop(): Promise<void>
}

export async function startExchangeProcess(perSecond: number): Promise<ExchangeProcess> {
  const child: ChildProcess = fork(path.join(__dirname, 'exchange-process.ts'), [String(perSecond)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // A session of its own (setsid), hence its own scheduling autogroup: see raisePriority() there.
    detached: true,
  })
  const waiting: ((r: ExchangeReply) => void)[] = []
  let failure: Error | null = null
  child.on('message', (r: ExchangeReply) => {
    if (r.t === 'error') failure = new Error(`exchange process: ${r.message}`)
    waiting.shift()?.(r)
  })
  child.once('exit', (code) => {
    failure ??= new Error(`exchange process exited with ${code}`)
    for (const w of waiting.splice(0)) w({ t: 'error', message: failure.message })
  })
  const next = <T extends ExchangeReply['t']>(t: T, timeoutMs = 30_000): Promise<Extract<ExchangeReply, { t: T }>> =>
    new Promise((resolve, reject) => {
      if (failure) return reject(failure)
      const timer = setTimeout(() => reject(new Error(`exchange process: no '${t}' in ${timeoutMs} ms`)), timeoutMs)
      waiting.push((r) => {
        clearTimeout(timer)
        if (r.t === t) resolve(r as Extract<ExchangeReply, { t: T }>)
        else reject(r.t === 'error' ? new Error(r.message) : new Error(`exchange process: expected '${t}', got '${r.t}'`))
      })
    })
  const request = (req: ExchangeRequest) => child.send(req)

  const ready = await next('ready')
  return {
    priority: ready.priority,
    restUrl: ready.restUrl,
    wsUrl: ready.wsUrl,
    apiKey: ready.apiKey,
    secret: ready.secret,
    pid: child.pid!,
    counters: () => {
      const reply = next('counters')
      request({ t: 'counters' })
      return reply
    },
    collect: (from, to) => {
      const reply = next('collected')
      request({ t: 'collect', from, to })
      return reply
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        const kill = setTimeout(() => child.kill('SIGKILL'), 5_000)
        child.once('exit', () => {
          clearTimeout(kill)
          resolve()
        })
        request({ t: 'stop' })
      }),
  }
}

import type { OrderIntent } from '../../src-main/trading/model'
import { openOrdersEngine } from './orders-engine'

// An engine in its own process, for the crash tests: opens the data dir (credentials from the keychain
// file), starts the order manager, submits one order and reports on stdout, one JSON object per line:
// {"event":"started"}, then {"event":"submitted","order":…} or {"event":"failed","error":…}.
// Usage: node --import tsx tests/integration/orders-child.ts <dataDir> <intent JSON>

async function main(): Promise<void> {
  const [dataDir, intentJson] = process.argv.slice(2)
  if (!dataDir || !intentJson) throw new Error('usage: orders-child.ts <dataDir> <intent JSON>')
  const intent = JSON.parse(intentJson) as OrderIntent
  // A long request timeout: the test kills this process while it waits for the order's answer.
  const engine = openOrdersEngine({ dataDir, log: 'stderr', requestTimeoutMs: 120_000 })
  await engine.manager.start()
  say({ event: 'started' })
  try {
    say({ event: 'submitted', order: await engine.manager.submit(intent) })
  } catch (err) {
    say({ event: 'failed', error: err instanceof Error ? err.message : String(err) })
  }
  await engine.close()
}

function say(message: unknown): void {
  process.stdout.write(`${JSON.stringify(message)}\n`)
}

main().catch((err: unknown) => {
  process.stderr.write(`orders-child failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})

import { afterEach, beforeEach } from 'vitest'
import { openOrdersEngine, type OrdersEngine } from './orders-engine'

// The order integration tests' hooks, shared: before each test a fresh local exchange (`start` creates it,
// seeds it and sets the test file's variables); after it, every engine the test opened is closed, then the
// exchange. Apart from orders-engine.ts because orders-child.ts runs that one outside vitest.

export interface OrderEngines {
  /** An engine (openOrdersEngine) closed after the test. */
  open(options: Parameters<typeof openOrdersEngine>[0]): OrdersEngine
  /** Closes it now (a restart within the test); it is not closed again after. */
  close(engine: OrdersEngine): Promise<void>
}

export function ordersTestHooks(start: () => Promise<{ close(): Promise<void> }>): OrderEngines {
  let exchange: { close(): Promise<void> } | undefined
  const engines: OrdersEngine[] = []
  beforeEach(async () => {
    exchange = await start()
  })
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.close()
    await exchange?.close()
    exchange = undefined
  })
  return {
    open(options) {
      const e = openOrdersEngine(options)
      engines.push(e)
      return e
    },
    async close(engine) {
      const i = engines.indexOf(engine)
      if (i >= 0) engines.splice(i, 1)
      await engine.close()
    },
  }
}

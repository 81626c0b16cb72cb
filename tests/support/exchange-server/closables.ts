// Keeps what a fixture hands out (ccxt instances) so its close() can close them all.

export interface Closables {
  /** Remembers `item` for closeAll() and returns it. */
  track<T extends { close(): Promise<unknown> }>(item: T): T
  /** Closes everything tracked; failures are ignored. */
  closeAll(): Promise<void>
}

export function closables(): Closables {
  const open: { close(): Promise<unknown> }[] = []
  return {
    track: (item) => {
      open.push(item)
      return item
    },
    closeAll: async () => {
      await Promise.allSettled(open.map((item) => item.close()))
    },
  }
}

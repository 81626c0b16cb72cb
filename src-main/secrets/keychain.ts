// The OS keychain, seen from the engine: three calls on one service. The engine keeps exactly one item
// there (the master key); API credentials are sealed in SQLite with it (see sealed-box.ts).

export const KEYCHAIN_SERVICE = 'CryptoOrchestrator'
export const MASTER_KEY_ACCOUNT = 'master-key'

export interface Keychain {
  /** A short name for status messages ("OS keychain (Secret Service)", "in-memory"). */
  readonly description: string
  /** The stored value, or null when there is none. Throws KeychainUnavailable when it cannot ask. */
  get(account: string): Promise<string | null>
  set(account: string, value: string): Promise<void>
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>
}

/** The keychain cannot be used at all (module missing, no Secret Service, locked collection, ...). */
export class KeychainUnavailable extends Error {
  constructor(
    /** Why, in words a user can act on. Never contains a secret. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`The OS keychain is unavailable: ${reason}`, options)
    this.name = 'KeychainUnavailable'
  }
}

/** A keychain held in memory: for unit tests, and for anything that must not touch the real one. */
export function memoryKeychain(
  initial: Record<string, string> = {},
  options: { unavailable?: string } = {},
): Keychain & { entries: Map<string, string>; unavailable: string | undefined } {
  const entries = new Map(Object.entries(initial))
  const keychain = {
    description: 'in-memory keychain',
    entries,
    unavailable: options.unavailable,
    check() {
      if (keychain.unavailable !== undefined) throw new KeychainUnavailable(keychain.unavailable)
    },
    async get(account: string) {
      keychain.check()
      return entries.get(account) ?? null
    },
    async set(account: string, value: string) {
      keychain.check()
      entries.set(account, value)
    },
    async delete(account: string) {
      keychain.check()
      return entries.delete(account)
    },
  }
  return keychain
}

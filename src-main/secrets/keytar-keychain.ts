import { KEYCHAIN_SERVICE, KeychainUnavailable, type Keychain } from './keychain'

// The real keychain through keytar (macOS Keychain, Windows Credential Vault, Secret Service on Linux).
// keytar is a native module: it is loaded on first use, so an engine that never needs a secret never
// loads it, and a missing or broken build becomes a KeychainUnavailable with the reason instead of a
// crash at start.

interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
}

export function keytarKeychain(
  options: { service?: string; load?: () => Promise<KeytarModule> } = {},
): Keychain {
  const service = options.service ?? KEYCHAIN_SERVICE
  const load = options.load ?? defaultLoad
  let module: Promise<KeytarModule> | undefined

  const keytar = async (): Promise<KeytarModule> => {
    module ??= load().catch((err: unknown) => {
      module = undefined // a later attempt may succeed (e.g. after installing libsecret)
      throw new KeychainUnavailable(`the keytar module could not be loaded (${describe(err)})`, { cause: err })
    })
    return module
  }

  const call = async <T>(what: string, fn: (k: KeytarModule) => Promise<T>): Promise<T> => {
    const k = await keytar()
    try {
      return await fn(k)
    } catch (err) {
      throw new KeychainUnavailable(explain(what, err), { cause: err })
    }
  }

  return {
    description: process.platform === 'darwin' ? 'macOS Keychain' : process.platform === 'win32'
      ? 'Windows Credential Manager'
      : 'OS keychain (Secret Service)',
    get: (account) => call('read from', (k) => k.getPassword(service, account)),
    set: (account, value) => call('write to', (k) => k.setPassword(service, account, value)),
    delete: (account) => call('delete from', (k) => k.deletePassword(service, account)),
  }
}

async function defaultLoad(): Promise<KeytarModule> {
  // keytar is CommonJS: depending on the loader (tsx, Vite's bundle, plain Node) the namespace may carry
  // only some functions as named exports, so prefer the default export, which is the whole module.
  const imported = (await import('keytar')) as Partial<KeytarModule> & { default?: KeytarModule }
  const k = isComplete(imported.default) ? imported.default : imported
  if (!isComplete(k)) throw new Error('keytar does not export getPassword, setPassword and deletePassword')
  return k
}

/** Turns keytar's / libsecret's errors into a reason a user can act on. keytar's messages hold no secrets. */
function explain(what: string, err: unknown): string {
  const raw = describe(err)
  let hint = ''
  if (/autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|org\.freedesktop\.DBus/i.test(raw)) {
    hint = ' — no D-Bus session is running, so no Secret Service (e.g. gnome-keyring) can be reached'
  } else if (/org\.freedesktop\.secrets|ServiceUnknown|was not provided by any \.service files/i.test(raw)) {
    hint = ' — no Secret Service provider (gnome-keyring, KWallet) is running'
  } else if (/collection\/login|Object does not exist|locked|dismissed|cancel/i.test(raw)) {
    hint = ' — the keyring is locked or the unlock prompt was dismissed'
  }
  return `could not ${what} the keychain: ${raw}${hint}`
}

function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  return message.replace(/\s+/g, ' ').trim().slice(0, 300) || 'unknown error'
}

function isComplete(k: Partial<KeytarModule> | undefined): k is KeytarModule {
  return !!k && typeof k.getPassword === 'function' && typeof k.setPassword === 'function' && typeof k.deletePassword === 'function'
}

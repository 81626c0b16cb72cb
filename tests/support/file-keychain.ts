import fs from 'node:fs'
import type { Keychain } from '../../src-main/secrets/keychain'

// A keychain in a JSON file (mode 0600), for tests where two processes must read the same master key: an
// engine killed with SIGKILL and the one restarted after it. Never for real use: the point of the OS
// keychain is that the key is not a file next to the database.

export function fileKeychain(file: string): Keychain {
  const read = (): Record<string, string> => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {}
      throw err
    }
  }
  const write = (entries: Record<string, string>) => {
    const tmp = `${file}.tmp`
    fs.writeFileSync(tmp, JSON.stringify(entries), { mode: 0o600 })
    fs.renameSync(tmp, file)
  }
  return {
    description: 'test keychain file',
    async get(account) {
      return read()[account] ?? null
    },
    async set(account, value) {
      write({ ...read(), [account]: value })
    },
    async delete(account) {
      const entries = read()
      if (!(account in entries)) return false
      delete entries[account]
      write(entries)
      return true
    },
  }
}

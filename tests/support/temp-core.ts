import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createCore, type Core, type CoreOptions } from '../../src-main/core'
import { silentLogger } from '../../src-main/log'
import { sourceMigrationsDir } from '../../src-main/config/paths'
import { memoryKeychain } from '../../src-main/secrets/keychain'

export const projectRoot = path.resolve(__dirname, '..', '..')
export const migrationsDir = sourceMigrationsDir(projectRoot)

export function tempDir(prefix = 'co-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

/** A real engine on a fresh data dir, validating every command's output against the contract. */
export function tempCore(overrides: Partial<CoreOptions> = {}): Core & { dataDir: string } {
  const dataDir = overrides.dataDir ?? tempDir()
  const core = createCore({
    dataDir,
    migrationsDir,
    door: 'headless',
    version: '0.0.0-test',
    log: silentLogger,
    checkOutputs: true,
    sim: { mode: 'manual', seed: 7 },
    keychain: memoryKeychain(),
    ...overrides,
  })
  return Object.assign(core, { dataDir })
}

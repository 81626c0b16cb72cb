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

/**
 * A folder holding the committed migrations up to and including `tag` (a database as an earlier release left
 * it): open a store on it, write rows in the old shape, then open it with migrationsDir to upgrade.
 */
export function migrationsUpTo(tag: string): string {
  const older = tempDir('co-migrations-')
  fs.mkdirSync(path.join(older, 'meta'))
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsDir, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] }
  const upTo = journal.entries.findIndex((e) => e.tag === tag)
  if (upTo < 0) throw new Error(`no migration ${tag}`)
  const kept = journal.entries.slice(0, upTo + 1)
  fs.writeFileSync(path.join(older, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: kept }))
  for (const e of kept) fs.copyFileSync(path.join(migrationsDir, `${e.tag}.sql`), path.join(older, `${e.tag}.sql`))
  return older
}

/**
 * Where simClockCore's simulated market starts unless told: a fixed instant (not on a minute, as the app's
 * start seldom is), so a test that walks the synthetic book meets the same book every run.
 */
export const SIM_START = Date.UTC(2026, 10, 24, 9, 30, 12, 345)

/**
 * A tempCore whose clock is the simulated exchange's. In 'manual' mode advance() runs the market ahead of the
 * wall clock, and the portfolio and analytics read the ledger up to `now`: with the wall clock, fills made by
 * advance() count only for as much wall time as the test happened to take. `startAt` (default SIM_START) is
 * where the simulated market starts: with the seed, it fixes everything the market does — a start read from
 * the wall clock gives another book (another fill shape for the same order) every run.
 */
export function simClockCore(options: { startAt?: number } & Partial<CoreOptions> = {}): Core & { dataDir: string } {
  const { startAt = SIM_START, ...overrides } = options
  let core: Core | null = null
  core = tempCore({ now: () => (core ? core.sim.engine.now() : startAt), ...overrides })
  return core as Core & { dataDir: string }
}

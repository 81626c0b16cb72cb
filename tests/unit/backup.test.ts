import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { tempCore, tempDir } from '../support/temp-core'
import { backupDatabase } from '../../src-main/store/backup'
import { openStore, DB_FILE_NAME } from '../../src-main/store/open'
import { migrationsDir } from '../support/temp-core'

describe('backup', () => {
  it('writes a consistent copy while another connection keeps writing', async () => {
    const dir = tempDir()
    const store = openStore(dir, migrationsDir)
    store.sqlite.exec('CREATE TABLE ticks (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)')
    const fill = store.sqlite.prepare('INSERT INTO ticks (payload) VALUES (?)')
    const many = store.sqlite.transaction((n: number) => {
      for (let i = 0; i < n; i++) fill.run('x'.repeat(200))
    })
    many(20_000)

    // A second connection (as another process would) writes in small transactions during the backup.
    const writer = new Database(path.join(dir, DB_FILE_NAME))
    writer.pragma('busy_timeout = 5000')
    const insert = writer.prepare('INSERT INTO ticks (payload) VALUES (?)')
    let written = 0
    const timer = setInterval(() => {
      for (let i = 0; i < 50; i++) insert.run('y')
      written += 50
    }, 1)
    const target = path.join(dir, 'backups', 'copy.sqlite')
    const result = await backupDatabase(store.sqlite, target)
    clearInterval(timer)
    writer.close()

    expect(result.path).toBe(target)
    expect(result.bytes).toBe(fs.statSync(target).size)
    expect(result.pages).toBeGreaterThan(100)
    expect(fs.existsSync(`${target}.partial`)).toBe(false)
    const copy = new Database(target, { readonly: true })
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok')
    const rows = (copy.prepare('SELECT count(*) AS n FROM ticks').get() as { n: number }).n
    expect(rows).toBeGreaterThanOrEqual(20_000)
    expect(rows).toBeLessThanOrEqual(20_000 + written)
    copy.close()
    store.close()
  })

  it('refuses to overwrite an existing file', async () => {
    const store = openStore(tempDir(), migrationsDir)
    const target = path.join(tempDir(), 'exists.sqlite')
    fs.writeFileSync(target, 'keep me')
    await expect(backupDatabase(store.sqlite, target)).rejects.toThrow(/already exists/)
    expect(fs.readFileSync(target, 'utf8')).toBe('keep me')
    store.close()
  })

  it('the store.backup command writes into the data dir and records it in the activity feed', async () => {
    const core = tempCore()
    core.settings.set('ui.theme', 'contrast')
    const reply = await core.router.invoke('store.backup', {}, { door: 'test' })
    expect(reply.ok).toBe(true)
    if (!reply.ok) return
    const value = reply.value as { path: string }
    expect(value.path.startsWith(path.join(core.dataDir, 'backups'))).toBe(true)
    const copy = new Database(value.path, { readonly: true })
    expect(copy.prepare("SELECT value FROM settings WHERE key = 'ui.theme'").get()).toEqual({ value: '"contrast"' })
    copy.close()
    const activity = await core.router.invoke('activity.recent', {}, { door: 'test' })
    expect(activity.ok && (activity.value as { kind: string }[]).map((a) => a.kind)).toEqual(['engine', 'settings', 'backup'])
    await core.stop()
  })
})

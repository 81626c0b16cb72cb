import { eq } from 'drizzle-orm'
import type { Db } from '../store/open'
import { settings } from '../store/schema'
import type { EventBus } from '../bus'
import type { Logger } from '../log'
import type { SettingView } from '../api/contract'
import { AppError } from '../api/errors'
import { settingDefinitions, settingKeys, valueSchemaFor, type SettingKey, type SettingValue } from './definitions'

/** Owns the `settings` table: reads with defaults, validates every write, announces changes. */
export class SettingsService {
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  list(): SettingView[] {
    const rows = new Map(this.db.select().from(settings).all().map((r) => [r.key, r]))
    return settingKeys.map((key) => this.view(key, rows.get(key)))
  }

  get(key: SettingKey): SettingView {
    return this.view(key, this.db.select().from(settings).where(eq(settings.key, key)).get())
  }

  set(key: SettingKey, value: SettingValue): SettingView {
    const parsed = valueSchemaFor(key).safeParse(value)
    if (!parsed.success) {
      // One value, one reason: the first (a fraction out of range would otherwise say the same twice).
      throw new AppError('BAD_INPUT', `${settingDefinitions[key].label}: ${parsed.error.issues[0]?.message ?? 'not a valid value'}`)
    }
    const before = this.get(key)
    const previous = before.value
    // The same value again: nothing changes, so nothing is announced (no "Theme: dark → dark" in the feed).
    if (JSON.stringify(previous) === JSON.stringify(parsed.data)) return before
    const at = this.now()
    this.db
      .insert(settings)
      .values({ key, value: JSON.stringify(parsed.data), updatedAt: at })
      .onConflictDoUpdate({ target: settings.key, set: { value: JSON.stringify(parsed.data), updatedAt: at } })
      .run()
    const view = this.get(key)
    this.bus.emit('settingChanged', { view, previous })
    return view
  }

  /**
   * A setting read on a hot path (every fill's notice): read once, then kept as it changes (set and reset
   * both announce settingChanged), instead of a database read each time.
   */
  current(key: SettingKey): () => SettingValue {
    let value = this.get(key).value
    this.bus.on('settingChanged', (e) => {
      if (e.view.key === key) value = e.view.value
    })
    return () => value
  }

  reset(key: SettingKey): SettingView {
    const before = this.get(key)
    // Already at its default: nothing changes, so nothing is announced (no "12 → 12" in the activity feed).
    if (before.updatedAt === null) return before
    const previous = before.value
    this.db.delete(settings).where(eq(settings.key, key)).run()
    const view = this.get(key)
    this.bus.emit('settingChanged', { view, previous })
    return view
  }

  private view(key: SettingKey, row: { value: string; updatedAt: number } | undefined): SettingView {
    const def = settingDefinitions[key]
    let value: SettingValue = def.default
    if (row) {
      const parsed = valueSchemaFor(key).safeParse(safeParse(row.value))
      if (parsed.success) value = parsed.data
      else this.log.warn(`stored value for setting ${key} is invalid; using the default`, { stored: row.value })
    }
    const { kind, label, description, section } = def
    return {
      key,
      kind,
      label,
      description,
      section,
      ...('options' in def ? { options: def.options.map((o) => ({ ...o })) } : {}),
      ...(def.kind === 'number' ? { min: def.min, max: def.max, step: def.step } : {}),
      default: def.default,
      value,
      updatedAt: row?.updatedAt ?? null,
    }
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

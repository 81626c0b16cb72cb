import { z } from 'zod'

// Every user setting the engine knows: its schema, default and how the settings page presents it.
// A value read from SQLite that no longer fits its schema falls back to the default (and is reported),
// so a bad row can never break start-up.
interface BaseDefinition {
  label: string
  description: string
  section: 'Appearance' | 'Time' | 'Workspace' | 'Portfolio' | 'Alerts' | 'Security'
}
export interface EnumDefinition extends BaseDefinition {
  kind: 'enum'
  options: readonly { value: string; label: string }[]
  default: string
}
export interface NumberDefinition extends BaseDefinition {
  kind: 'number'
  min: number
  max: number
  step: number
  default: number
}
export interface BooleanDefinition extends BaseDefinition {
  kind: 'boolean'
  default: boolean
}
export type SettingDefinition = EnumDefinition | NumberDefinition | BooleanDefinition

/** Where a kind of notice is said (alerts/: fills, conditional orders). */
const noticeModes = [
  { value: 'off', label: 'Off' },
  { value: 'app', label: 'In the app' },
  { value: 'desktop', label: 'In the app and on the desktop' },
] as const

export const settingDefinitions = {
  'ui.theme': {
    kind: 'enum',
    label: 'Theme',
    description: 'Colour scheme of the terminal.',
    section: 'Appearance',
    options: [
      { value: 'dark', label: 'Dark' },
      { value: 'midnight', label: 'Midnight (blue-black)' },
      { value: 'contrast', label: 'High contrast' },
    ],
    default: 'dark',
  },
  'ui.density': {
    kind: 'enum',
    label: 'Density',
    description: 'Row height in tables and lists.',
    section: 'Appearance',
    options: [
      { value: 'compact', label: 'Compact' },
      { value: 'comfortable', label: 'Comfortable' },
    ],
    default: 'compact',
  },
  'ui.fontSize': {
    kind: 'number',
    label: 'Font size',
    description: 'Base font size in pixels.',
    section: 'Appearance',
    min: 10,
    max: 18,
    step: 1,
    default: 12,
  },
  'ui.timeZone': {
    kind: 'enum',
    label: 'Time zone',
    description: 'How times are shown. Stored times are always UTC.',
    section: 'Time',
    options: [
      { value: 'local', label: 'Local time' },
      { value: 'utc', label: 'UTC' },
    ],
    default: 'local',
  },
  'ui.clock24h': {
    kind: 'boolean',
    label: '24-hour clock',
    description: 'Show times as 13:05 instead of 1:05 PM.',
    section: 'Time',
    default: true,
  },
  'workspace.sidebar': {
    kind: 'boolean',
    label: 'Show sidebar',
    description: 'Show the navigation sidebar (toggle with Ctrl+B).',
    section: 'Workspace',
    default: true,
  },
  'portfolio.costMethod': {
    kind: 'enum',
    label: 'Cost method',
    description: 'How realized P&L picks the cost of what was sold: the oldest lots first (FIFO) or the average cost of the holding.',
    section: 'Portfolio',
    options: [
      { value: 'fifo', label: 'FIFO (first in, first out)' },
      { value: 'average', label: 'Average cost' },
    ],
    default: 'fifo',
  },
  'portfolio.currency': {
    kind: 'enum',
    label: 'Reporting currency',
    description: 'The currency P&L and values are shown in. USD, USDT and USDC count as one; EUR and GBP are valued at market rates.',
    section: 'Portfolio',
    options: [
      { value: 'USD', label: 'US dollar (USD ≈ USDT ≈ USDC)' },
      { value: 'USDT', label: 'Tether (USDT)' },
      { value: 'EUR', label: 'Euro (EUR, at market rates)' },
      { value: 'GBP', label: 'Pound sterling (GBP, at market rates)' },
    ],
    default: 'USD',
  },
  'alerts.fills': {
    kind: 'enum',
    label: 'Fill notifications',
    description: 'Say when one of your orders fills (a burst of fills within a second is said once): not at all, in the app, or in the app and on the desktop.',
    section: 'Alerts',
    options: noticeModes,
    default: 'app',
  },
  'alerts.conditional': {
    kind: 'enum',
    label: 'Conditional order notifications',
    description: 'Say when one of your stops, take-profits or trailing stops triggers, and, as an error, when its order is refused: not at all, in the app, or in the app and on the desktop.',
    section: 'Alerts',
    options: noticeModes,
    default: 'desktop',
  },
  'lock.idleMinutes': {
    kind: 'number',
    label: 'Lock after idle minutes',
    description: 'With a lock passphrase set, a screen (the app window, a browser tab) locks after this many minutes without a key press or click in it (0: never).',
    section: 'Security',
    min: 0,
    max: 1440,
    step: 1,
    default: 15,
  },
} as const satisfies Record<string, SettingDefinition>

export type SettingKey = keyof typeof settingDefinitions
export const settingKeys = Object.keys(settingDefinitions) as SettingKey[]
export type SettingValue = string | number | boolean

export const settingKeySchema = z.enum(settingKeys as [SettingKey, ...SettingKey[]], {
  error: (issue) => `Unknown setting "${String(issue.input)}"`,
})

/**
 * The zod schema a value for `key` must satisfy. Its messages are the user's words (the settings service
 * puts the setting's label before them): a number setting's refusal, whatever was wrong (a cleared
 * field, a fraction, text, out of range), says which whole numbers it takes.
 */
export function valueSchemaFor(key: SettingKey): z.ZodType<SettingValue> {
  const def: SettingDefinition = settingDefinitions[key]
  switch (def.kind) {
    case 'enum': {
      const values = def.options.map((o) => o.value)
      return z.string().refine((v) => values.includes(v), {
        message: `must be one of ${values.join(', ')}`,
      })
    }
    case 'number': {
      const range = `enter a whole number from ${def.min} to ${def.max}`
      return z
        .number({ error: (issue) => (issue.input === '' ? `a value is required — ${range}` : range) })
        .int(range)
        .min(def.min, range)
        .max(def.max, range)
    }
    case 'boolean':
      return z.boolean({ error: 'must be on or off (true or false)' })
  }
}

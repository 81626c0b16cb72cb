// Key combos as data: parsing 'Mod+Shift+K', matching keyboard events, and display labels.
// Pure: no DOM or React here, so it runs (and is tested) in Node.

export type Platform = 'mac' | 'other'

/** A combo with `Mod` resolved for one platform: Cmd (meta) on macOS, Ctrl elsewhere. */
export interface Combo {
  ctrl: boolean
  meta: boolean
  alt: boolean
  shift: boolean
  /** Normalised key name: lower-case letters and names ('k', 'f6', ',', 'escape', 'arrowup'). */
  key: string
}

/** The parts of a KeyboardEvent the matcher reads (so tests can pass plain objects). */
export interface KeyInput {
  key: string
  code?: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  shiftKey: boolean
}

const keyAliases: Record<string, string> = {
  esc: 'escape',
  return: 'enter',
  space: ' ',
  spacebar: ' ',
  up: 'arrowup',
  down: 'arrowdown',
  left: 'arrowleft',
  right: 'arrowright',
  del: 'delete',
  plus: '+',
}

function normaliseKey(key: string): string {
  const lower = key.toLowerCase()
  return keyAliases[lower] ?? lower
}

/** Parses 'Mod+K', 'Shift+F6', 'Mod+,', 'Ctrl+Alt+Delete'. Throws on an empty or doubled key. */
export function parseCombo(text: string, platform: Platform): Combo {
  // Split on '+' but keep a trailing '+' as the key itself ('Mod++').
  const parts = text.trim().split(/\+(?!$)/)
  const combo: Combo = { ctrl: false, meta: false, alt: false, shift: false, key: '' }
  for (const raw of parts) {
    const part = raw.trim().toLowerCase()
    if (part === 'mod') {
      if (platform === 'mac') combo.meta = true
      else combo.ctrl = true
    } else if (part === 'ctrl' || part === 'control') combo.ctrl = true
    else if (part === 'cmd' || part === 'meta' || part === 'command') combo.meta = true
    else if (part === 'alt' || part === 'option' || part === 'opt') combo.alt = true
    else if (part === 'shift') combo.shift = true
    else if (combo.key) throw new Error(`Key combo "${text}" names more than one key`)
    else combo.key = normaliseKey(raw.trim())
  }
  if (!combo.key) throw new Error(`Key combo "${text}" has no key`)
  return combo
}

/** Keys a physical `code` stands for on a US layout: lets Ctrl+K work on non-Latin layouts too. */
function keyFromCode(code: string | undefined): string | undefined {
  if (!code) return undefined
  if (/^Key[A-Z]$/.test(code)) return code.slice(3).toLowerCase()
  if (/^Digit[0-9]$/.test(code)) return code.slice(5)
  const named: Record<string, string> = {
    Comma: ',',
    Period: '.',
    Slash: '/',
    Backslash: '\\',
    Semicolon: ';',
    Quote: "'",
    BracketLeft: '[',
    BracketRight: ']',
    Minus: '-',
    Equal: '=',
    Backquote: '`',
  }
  return named[code]
}

/** True when the event is exactly this combo: same modifiers (no extra ones) and the same key. */
export function matchesCombo(combo: Combo, event: KeyInput): boolean {
  if (
    combo.ctrl !== event.ctrlKey ||
    combo.meta !== event.metaKey ||
    combo.alt !== event.altKey ||
    combo.shift !== event.shiftKey
  ) {
    return false
  }
  if (normaliseKey(event.key) === combo.key) return true
  // With a modifier held, the layout (or Alt/Option) may change `key`; fall back to the physical key.
  const hasModifier = event.ctrlKey || event.metaKey || event.altKey
  return hasModifier && keyFromCode(event.code) === combo.key
}

const functionKey = /^f([1-9]|1[0-9]|2[0-4])$/

/**
 * Whether a combo may fire while the user types in a text field. Plain keys (letters, Shift+letter,
 * Enter, arrows) belong to the field; Ctrl/Cmd/Alt combos and F-keys work everywhere.
 */
export function firesWhileTyping(combo: Combo): boolean {
  return combo.ctrl || combo.meta || combo.alt || functionKey.test(combo.key)
}

/**
 * Whether this press, in a text field, types a character rather than the combo: on macOS Option+key is
 * how a layout types ('@' is Option+L on a German keyboard, 'ą' Option+A on Polish Pro), so when `key`
 * is a character (or a dead key starting one) other than the binding's own, the field gets it. Not on
 * Windows/Linux: there Alt types nothing (AltGr sets Ctrl too), and a non-Latin layout's Alt shortcuts
 * rely on the physical key.
 */
export function optionTypes(combo: Combo, event: KeyInput, platform: Platform): boolean {
  if (platform !== 'mac' || !combo.alt || event.ctrlKey || event.metaKey) return false
  if (normaliseKey(event.key) === combo.key) return false
  return event.key === 'Dead' || [...event.key].length === 1
}

const keyLabels: Record<string, string> = {
  ' ': 'Space',
  escape: 'Esc',
  enter: 'Enter',
  arrowup: '↑',
  arrowdown: '↓',
  arrowleft: '←',
  arrowright: '→',
  delete: 'Del',
  backspace: 'Backspace',
  tab: 'Tab',
  home: 'Home',
  end: 'End',
  pageup: 'PgUp',
  pagedown: 'PgDn',
}

/** Labels for showing a combo, one per key cap: ['Ctrl', 'K'] or, on macOS, ['⌘', 'K']. */
export function comboLabels(text: string, platform: Platform): string[] {
  const combo = parseCombo(text, platform)
  const key = keyLabels[combo.key] ?? combo.key.toUpperCase()
  const caps: string[] = []
  if (platform === 'mac') {
    if (combo.ctrl) caps.push('⌃')
    if (combo.alt) caps.push('⌥')
    if (combo.shift) caps.push('⇧')
    if (combo.meta) caps.push('⌘')
  } else {
    if (combo.ctrl) caps.push('Ctrl')
    if (combo.meta) caps.push('Win')
    if (combo.alt) caps.push('Alt')
    if (combo.shift) caps.push('Shift')
  }
  caps.push(key)
  return caps
}

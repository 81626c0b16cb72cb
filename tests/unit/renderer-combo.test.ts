import { describe, expect, it } from 'vitest'
import {
  comboLabels,
  firesWhileTyping,
  matchesCombo,
  optionTypes,
  parseCombo,
  type KeyInput,
} from '../../src-renderer/app/hotkeys/combo'

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
})

describe('parseCombo', () => {
  it('maps Mod to Meta on macOS and to Ctrl elsewhere', () => {
    expect(parseCombo('Mod+K', 'mac')).toEqual({ ctrl: false, meta: true, alt: false, shift: false, key: 'k' })
    expect(parseCombo('Mod+K', 'other')).toEqual({ ctrl: true, meta: false, alt: false, shift: false, key: 'k' })
  })

  it('reads modifiers and keys case-insensitively, with aliases', () => {
    expect(parseCombo('shift+f6', 'other')).toEqual(parseCombo('Shift+F6', 'other'))
    expect(parseCombo('Ctrl+Alt+Esc', 'mac')).toMatchObject({ ctrl: true, alt: true, meta: false, key: 'escape' })
    expect(parseCombo('Cmd+Up', 'other')).toMatchObject({ meta: true, key: 'arrowup' })
  })

  it('keeps punctuation keys, including a literal plus', () => {
    expect(parseCombo('Mod+,', 'other').key).toBe(',')
    expect(parseCombo('Mod+/', 'other').key).toBe('/')
    expect(parseCombo('Mod++', 'other')).toMatchObject({ ctrl: true, key: '+' })
  })

  it('refuses a combo without a key or with two keys', () => {
    expect(() => parseCombo('Mod+Shift', 'other')).toThrow(/no key/)
    expect(() => parseCombo('K+L', 'other')).toThrow(/more than one key/)
  })
})

describe('matchesCombo', () => {
  it('Mod+K is Ctrl+K on Windows/Linux and Cmd+K on macOS, not the other way round', () => {
    const other = parseCombo('Mod+K', 'other')
    const mac = parseCombo('Mod+K', 'mac')
    expect(matchesCombo(other, key('k', { ctrlKey: true }))).toBe(true)
    expect(matchesCombo(other, key('k', { metaKey: true }))).toBe(false)
    expect(matchesCombo(mac, key('k', { metaKey: true }))).toBe(true)
    expect(matchesCombo(mac, key('k', { ctrlKey: true }))).toBe(false)
  })

  it('tells Shift+F6 from F6', () => {
    const f6 = parseCombo('F6', 'other')
    const shiftF6 = parseCombo('Shift+F6', 'other')
    expect(matchesCombo(f6, key('F6'))).toBe(true)
    expect(matchesCombo(f6, key('F6', { shiftKey: true }))).toBe(false)
    expect(matchesCombo(shiftF6, key('F6', { shiftKey: true }))).toBe(true)
    expect(matchesCombo(shiftF6, key('F6'))).toBe(false)
  })

  it('ignores the case of the key but not extra modifiers', () => {
    const combo = parseCombo('Mod+B', 'other')
    expect(matchesCombo(combo, key('B', { ctrlKey: true }))).toBe(true)
    expect(matchesCombo(combo, key('b', { ctrlKey: true, altKey: true }))).toBe(false)
    expect(matchesCombo(combo, key('b'))).toBe(false)
  })

  it('falls back to the physical key when a layout changes `key` under a modifier', () => {
    const combo = parseCombo('Mod+K', 'other')
    // Russian layout: the K key produces 'л'
    expect(matchesCombo(combo, key('л', { ctrlKey: true, code: 'KeyK' }))).toBe(true)
    expect(matchesCombo(combo, key('л', { code: 'KeyK' }))).toBe(false)
    expect(matchesCombo(parseCombo('Mod+,', 'other'), key('б', { ctrlKey: true, code: 'Comma' }))).toBe(true)
  })
})

describe('firesWhileTyping', () => {
  it('lets Mod, Alt and F-key combos through but not plain keys', () => {
    expect(firesWhileTyping(parseCombo('Mod+K', 'other'))).toBe(true)
    expect(firesWhileTyping(parseCombo('Alt+1', 'other'))).toBe(true)
    expect(firesWhileTyping(parseCombo('F6', 'other'))).toBe(true)
    expect(firesWhileTyping(parseCombo('Shift+F12', 'other'))).toBe(true)
    expect(firesWhileTyping(parseCombo('K', 'other'))).toBe(false)
    expect(firesWhileTyping(parseCombo('Shift+K', 'other'))).toBe(false)
    expect(firesWhileTyping(parseCombo('F', 'other'))).toBe(false)
    expect(firesWhileTyping(parseCombo('Enter', 'other'))).toBe(false)
  })
})

describe('optionTypes', () => {
  const altL = parseCombo('Alt+L', 'mac')
  it('on macOS, Option+key that gives a character (or starts one) other than the binding’s is typing', () => {
    expect(optionTypes(altL, key('@', { altKey: true, code: 'KeyL' }), 'mac')).toBe(true)
    expect(optionTypes(altL, key('¬', { altKey: true, code: 'KeyL' }), 'mac')).toBe(true)
    expect(optionTypes(parseCombo('Alt+N', 'mac'), key('Dead', { altKey: true, code: 'KeyN' }), 'mac')).toBe(true)
    expect(optionTypes(parseCombo('Alt+Shift+L', 'mac'), key('Ò', { altKey: true, shiftKey: true, code: 'KeyL' }), 'mac')).toBe(true)
  })

  it('is not typing when the key is the binding’s own, a named key, or Cmd/Ctrl is held', () => {
    expect(optionTypes(altL, key('l', { altKey: true, code: 'KeyL' }), 'mac')).toBe(false)
    expect(optionTypes(parseCombo('Alt+ArrowUp', 'mac'), key('ArrowUp', { altKey: true }), 'mac')).toBe(false)
    expect(optionTypes(parseCombo('Alt+F5', 'mac'), key('F5', { altKey: true }), 'mac')).toBe(false)
    expect(optionTypes(parseCombo('Cmd+Alt+L', 'mac'), key('¬', { altKey: true, metaKey: true, code: 'KeyL' }), 'mac')).toBe(false)
  })

  it('never on Windows/Linux, where Alt types nothing (AltGr also sets Ctrl)', () => {
    expect(optionTypes(parseCombo('Alt+L', 'other'), key('д', { altKey: true, code: 'KeyL' }), 'other')).toBe(false)
  })
})

describe('comboLabels', () => {
  it('writes combos the way each platform does', () => {
    expect(comboLabels('Mod+K', 'other')).toEqual(['Ctrl', 'K'])
    expect(comboLabels('Mod+K', 'mac')).toEqual(['⌘', 'K'])
    expect(comboLabels('Shift+F6', 'other')).toEqual(['Shift', 'F6'])
    expect(comboLabels('Mod+Shift+,', 'mac')).toEqual(['⇧', '⌘', ','])
    expect(comboLabels('Esc', 'other')).toEqual(['Esc'])
  })
})

// Just enough DOM for the key dispatcher and the actions it runs, in Node: the element classes it tells
// text fields by, a window, a document and the platform. Modules that read them load after stubDom
// (vi.resetModules + import), so each test file gets its own registry and platform.
import { vi } from 'vitest'
import type { KeyInput } from '../../src-renderer/app/hotkeys/combo'
import type { VenueView } from '../../src-main/api/contract'

class HTMLElement {
  isContentEditable = false
  parentElement: HTMLElement | null = null
  attributes: Record<string, string> = {}
  tagName = 'DIV'
  /** Only the `[name="value"]` and bare tag (`form`) selectors the actions use, on this element and its parents. */
  closest(selector: string): HTMLElement | null {
    if (/^[a-z]+$/.test(selector)) {
      if (this.tagName.toLowerCase() === selector) return this
      return this.parentElement ? this.parentElement.closest(selector) : null
    }
    const m = /^\[([\w-]+)(?:="([^"]*)")?\]$/.exec(selector)
    if (!m) throw new Error(`fake closest: unsupported selector ${selector}`)
    const name = m[1]!
    const value = m[2]
    const matches = (el: HTMLElement) => name in el.attributes && (value === undefined || el.attributes[name] === value)
    if (matches(this)) return this
    return this.parentElement ? this.parentElement.closest(selector) : null
  }
}
class HTMLInputElement extends HTMLElement {
  override tagName = 'INPUT'
  constructor(public type = 'text') {
    super()
  }
}
class HTMLTextAreaElement extends HTMLElement {
  override tagName = 'TEXTAREA'
}
class HTMLSelectElement extends HTMLElement {
  override tagName = 'SELECT'
}
class HTMLButtonElement extends HTMLElement {
  override tagName = 'BUTTON'
}

export interface FakeDom {
  /** A text input, e.g. the ticket's symbol field. */
  input: HTMLElement
  /** A focusable element that is not a text field (a table, a button). */
  table: HTMLElement
  /** A text input inside an element with these attributes (e.g. the ticket's form). */
  inputIn(attributes: Record<string, string>): HTMLElement
  /** A control of this kind inside a <form> with these attributes (e.g. the risk form's Save button). */
  controlInForm(kind: 'text' | 'button' | 'textarea', attributes: Record<string, string>): HTMLElement
  /** Sets document.activeElement (what the actions read as the focus). */
  focus(el: HTMLElement): void
}

export function stubDom(platform: 'mac' | 'other'): FakeDom {
  const input = new HTMLInputElement('text')
  const table = new HTMLElement()
  const document = { activeElement: table as HTMLElement, querySelector: () => null, getElementById: () => null }
  vi.stubGlobal('HTMLElement', HTMLElement)
  vi.stubGlobal('HTMLInputElement', HTMLInputElement)
  vi.stubGlobal('HTMLTextAreaElement', HTMLTextAreaElement)
  vi.stubGlobal('HTMLSelectElement', HTMLSelectElement)
  vi.stubGlobal('HTMLButtonElement', HTMLButtonElement)
  vi.stubGlobal('window', { addEventListener() {}, removeEventListener() {}, api: {} })
  vi.stubGlobal('document', document)
  vi.stubGlobal('navigator', { platform: platform === 'mac' ? 'MacIntel' : 'Win32' })
  vi.stubGlobal('location', { protocol: 'http:', host: 'x', hash: '', pathname: '/', search: '' })
  vi.stubGlobal('history', { replaceState() {}, pushState() {} })
  vi.stubGlobal('requestAnimationFrame', (f: () => void) => setTimeout(f, 0))
  vi.resetModules()
  const inputIn = (attributes: Record<string, string>) => {
    const parent = new HTMLElement()
    parent.attributes = attributes
    const field = new HTMLInputElement('text')
    field.parentElement = parent
    return field
  }
  const controlInForm = (kind: 'text' | 'button' | 'textarea', attributes: Record<string, string>) => {
    const form = new HTMLElement()
    form.tagName = 'FORM'
    form.attributes = attributes
    const control = kind === 'text' ? new HTMLInputElement('text') : kind === 'button' ? new HTMLButtonElement() : new HTMLTextAreaElement()
    control.parentElement = form
    return control
  }
  return { input, table, inputIn, controlInForm, focus: (el) => void (document.activeElement = el) }
}

/**
 * Imports a renderer module after stubDom. Untyped on purpose: these modules use the DOM's types, which
 * the Node test build (tsconfig.node.json) does not have; each test names the few exports it uses.
 */
export function loadRenderer<T>(path: string): Promise<T> {
  return import(/* @vite-ignore */ `../../src-renderer/${path}`) as Promise<T>
}

/** A KeyboardEvent as far as the dispatcher reads it (the DOM's type is not in the Node build). */
export type KeyEvent = KeyInput & { target: object; preventDefault(): void; defaultPrevented: boolean }

export interface Pressed {
  event: KeyEvent
  prevented: () => boolean
}

/** A keydown as the browser delivers it to the window listener, on `target`. */
export function keydown(key: string, target: object, mods: Partial<KeyInput> = {}): Pressed {
  let prevented = false
  const event = {
    key,
    code: '',
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    repeat: false,
    isComposing: false,
    defaultPrevented: false,
    target,
    preventDefault: () => void (prevented = true),
    stopPropagation() {},
    ...mods,
  }
  return { event, prevented: () => prevented }
}

/** A venue as the engine lists it: the simulator, or a paper account (any other id) with its label. */
export const venueView = (id: string, label: string): VenueView => ({
  id,
  exchange: id === 'sim' ? 'sim' : 'binance',
  label,
  kind: id === 'sim' ? 'simulated' : 'paper',
  accountId: null,
  connection: 'live',
  reason: null,
  marketCount: 3,
})

import { firesWhileTyping, matchesCombo, optionTypes, parseCombo, type Combo } from './combo'
import { listActions, runAction, subscribeActions, type Action } from './registry'
import { platform } from './platform'
import { anyModalOpen } from '../../ui/modalStack'

// The one global keydown listener. It maps a key press to the first enabled action bound to it.

interface Binding {
  combo: Combo
  action: Action
}

let bindings: Binding[] = []

function rebuild(): void {
  bindings = []
  for (const action of listActions()) {
    for (const keys of action.keys ?? []) {
      try {
        bindings.push({ combo: parseCombo(keys, platform), action })
      } catch (err) {
        console.error(`action ${action.id}: bad key combo`, err)
      }
    }
  }
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(target.type)
  }
  return false
}

function firesInField(action: Action, combo: Combo, field: HTMLElement): boolean {
  const rule = action.whileTyping ?? firesWhileTyping(combo)
  return typeof rule === 'function' ? rule(field) : rule
}

/**
 * Runs the action bound to this key press, if any; returns whether one ran. The window listener calls
 * it for every key; a component whose own key handling would otherwise swallow an app shortcut (the
 * panel separators take F6) calls it first from a capture handler.
 */
export function dispatchKey(event: KeyboardEvent): boolean {
  // A component that handled the key itself (e.g. the palette's list) said so with preventDefault.
  if (event.defaultPrevented || event.isComposing || event.repeat) return false
  const typing = isTyping(event.target)
  const dialog = anyModalOpen()
  for (const { combo, action } of bindings) {
    // A modal dialog owns the keyboard: only app-wide actions reach past it.
    if (dialog && action.inDialogs !== true) continue
    if (typing && !firesInField(action, combo, event.target as HTMLElement)) continue
    if (action.firesFrom && event.target instanceof HTMLElement && !action.firesFrom(event.target)) continue
    // On macOS, Option+key in a field types the layout's character: no action, and the character stays.
    if (typing && optionTypes(combo, event, platform)) continue
    if (!matchesCombo(combo, event)) continue
    if (runAction(action)) {
      event.preventDefault()
      event.stopPropagation()
      return true
    }
  }
  return false
}

const onKeyDown = (event: KeyboardEvent) => void dispatchKey(event)

/** Starts listening on `window`; returns the function that stops. */
export function installHotkeys(): () => void {
  rebuild()
  const unsubscribe = subscribeActions(rebuild)
  window.addEventListener('keydown', onKeyDown)
  return () => {
    unsubscribe()
    window.removeEventListener('keydown', onKeyDown)
  }
}

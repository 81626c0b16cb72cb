// The action registry: every command a user can run (by key, palette or button) lives here, so the
// palette, the shortcuts dialog and the key dispatcher all read one list. Plain module state with a
// subscribe function; React reads it through useSyncExternalStore (see useActions.ts).

export interface Action {
  /** Stable id, e.g. 'app.palette.open'. */
  id: string
  title: string
  /** Group shown in the palette and the shortcuts list, e.g. 'Navigation'. */
  section: string
  /** Key combos, e.g. ['Mod+K'], ['Shift+F6']; Mod = Cmd on macOS, Ctrl elsewhere. */
  keys?: string[]
  run: () => void | Promise<void>
  enabled?: () => boolean
  /**
   * Whether its keys fire while the user types in a text field. Unset: Mod/Alt combos and F-keys do,
   * plain keys do not (firesWhileTyping). False for an action that changes orders at once, without
   * asking: there Ctrl+Backspace is delete-a-word, and a slip must not reach the exchange. A function:
   * only in the fields it accepts (Mod+Enter sends the ticket from the ticket's fields, not another form's).
   * Keep it a stable function (useAction re-registers when it changes).
   */
  whileTyping?: boolean | ((field: HTMLElement) => boolean)
  /**
   * Where its keys fire from, for any focused element (a button too, not only a text field): unset,
   * anywhere. Mod+Enter on another form's Save button is that form's, not the ticket's. Keep it stable.
   */
  firesFrom?: (focused: HTMLElement) => boolean
  /**
   * Whether its keys fire while a modal dialog is open. Unset: no — a page's action must not act on the
   * page behind a dialog. True only for app-wide ones (the palette, the pages, lock, the kill switch).
   */
  inDialogs?: boolean
}

type Listener = () => void

const actions = new Map<string, Action>()
let snapshot: readonly Action[] = []
const listeners = new Set<Listener>()
const runListeners = new Set<(action: Action) => void>()

function changed(): void {
  snapshot = [...actions.values()]
  for (const listener of listeners) listener()
}

/** Adds an action and returns the function that removes it (only this registration, not a later one). */
export function registerAction(action: Action): () => void {
  if (actions.has(action.id)) console.warn(`action ${action.id} registered twice; the later one wins`)
  actions.set(action.id, action)
  changed()
  return () => {
    if (actions.get(action.id) === action) {
      actions.delete(action.id)
      changed()
    }
  }
}

/** Every registered action, in registration order. The array is replaced (not mutated) on change. */
export function listActions(): readonly Action[] {
  return snapshot
}

export function getAction(id: string): Action | undefined {
  return actions.get(id)
}

export function subscribeActions(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function isEnabled(action: Action): boolean {
  return action.enabled ? action.enabled() : true
}

/** Called just before any action runs (dialogs use it to get out of the way). */
export function onBeforeRun(listener: (action: Action) => void): () => void {
  runListeners.add(listener)
  return () => runListeners.delete(listener)
}

/** Runs an action if it is enabled; returns whether it ran. Failures are the action's to report. */
export function runAction(action: Action): boolean {
  if (!isEnabled(action)) return false
  for (const listener of runListeners) listener(action)
  const fail = (err: unknown) => console.error(`action ${action.id} failed`, err)
  try {
    void action.run()?.catch(fail)
  } catch (err) {
    fail(err)
  }
  return true
}

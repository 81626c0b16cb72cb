import type { KeyboardEvent } from 'react'

/**
 * A form's onKeyDown: Mod+Enter (the app's "send" key) on any of its controls (a field, a checkbox, its
 * Save button) submits this form, as Enter does in a field, rather than leaving the key to the browser
 * (which may not submit on it) or the app (where it would send the ticket). A textarea keeps it.
 */
export function submitOnModEnter(event: KeyboardEvent<HTMLFormElement>): void {
  if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.altKey || event.defaultPrevented) return
  if (!(event.target instanceof HTMLElement) || event.target instanceof HTMLTextAreaElement) return
  event.preventDefault()
  event.currentTarget.requestSubmit()
}

import type { KeyboardEvent } from 'react'

/**
 * A form's onKeyDown: Mod+Enter (the app's "send" key) in one of its fields submits this form, as Enter
 * does, rather than leaving the key to the browser (which may not submit on it).
 */
export function submitOnModEnter(event: KeyboardEvent<HTMLFormElement>): void {
  if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.altKey || event.defaultPrevented) return
  if (!(event.target instanceof HTMLInputElement)) return
  event.preventDefault()
  event.currentTarget.requestSubmit()
}

// Which modal dialogs are open (ui/Modal registers each while it is mounted). The key dispatcher reads it:
// a modal dialog owns the keyboard, so a page's shortcuts must not act on the page behind it.

let open = 0

/** A modal dialog opened; returns the function that says it closed (call it once). */
export function openModal(): () => void {
  open++
  let closed = false
  return () => {
    if (closed) return
    closed = true
    open--
  }
}

/** Whether any modal dialog is open now. */
export function anyModalOpen(): boolean {
  return open > 0
}

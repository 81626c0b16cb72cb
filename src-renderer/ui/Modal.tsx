import { useLayoutEffect, useRef, type KeyboardEvent, type ReactNode } from 'react'
import { openModal } from './modalStack'

interface ModalProps {
  /** id of the element that names the dialog. */
  labelledBy: string
  onClose: () => void
  className?: string
  children: ReactNode
  testId?: string
}

// The open dialogs, oldest first: only the top-most one holds focus.
const stack: HTMLElement[] = []

const focusable =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

/**
 * A modal dialog: traps Tab (also from the box itself, where a click on its text leaves focus), pulls
 * back focus that lands behind it, closes on Escape or a click outside, and on close gives focus back to
 * whatever had it before (or to the main area when that element is gone). Restoring happens in a
 * layout effect so that code closing the dialog with flushSync sees focus back in place at once.
 */
export function Modal({ labelledBy, onClose, className, children, testId }: ModalProps) {
  const box = useRef<HTMLDivElement>(null)

  // While it is open, the page's shortcuts stand down (the key dispatcher asks modalStack).
  useLayoutEffect(() => openModal(), [])

  useLayoutEffect(() => {
    const self = box.current
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null
    const first = self?.querySelector<HTMLElement>('[data-autofocus]') ?? self
    if (self) stack.push(self)
    let lastInside = first
    const keepFocus = (event: FocusEvent) => {
      if (!self || stack[stack.length - 1] !== self || !(event.target instanceof Node)) return
      if (self.contains(event.target)) lastInside = event.target instanceof HTMLElement ? event.target : lastInside
      else (lastInside?.isConnected && self.contains(lastInside) ? lastInside : self).focus()
    }
    document.addEventListener('focusin', keepFocus)
    first?.focus()
    return () => {
      // Let go before giving focus back, or the listener would pull it in again.
      document.removeEventListener('focusin', keepFocus)
      if (self) stack.splice(stack.indexOf(self), 1)
      if (previous && previous.isConnected && previous !== document.body) previous.focus()
      else document.getElementById('main')?.focus()
    }
  }, [])

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      onClose()
    } else if (event.key === 'Tab' && box.current) {
      const items = [...box.current.querySelectorAll<HTMLElement>(focusable)]
      if (items.length === 0) return event.preventDefault()
      const first = items[0]!
      const last = items[items.length - 1]!
      const active = document.activeElement
      // Wrap when the browser's next stop would be behind the dialog: from the first (last) item, and also
      // from the box itself, where a click on the dialog's text leaves focus, or anything else with no item
      // before (after) it.
      const inside = active !== null && box.current.contains(active)
      const anyItem = (where: number) => items.some((item) => item !== active && (active!.compareDocumentPosition(item) & where) !== 0)
      if (event.shiftKey && (!inside || !anyItem(Node.DOCUMENT_POSITION_PRECEDING))) {
        event.preventDefault()
        last.focus()
      } else if (!event.shiftKey && (!inside || !anyItem(Node.DOCUMENT_POSITION_FOLLOWING))) {
        event.preventDefault()
        first.focus()
      }
    }
  }

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={box}
        role="dialog"
        aria-modal="true"
        aria-labelledby={labelledBy}
        className={`modal ${className ?? ''}`}
        tabIndex={-1}
        onKeyDown={onKeyDown}
        data-testid={testId}
      >
        {children}
      </div>
    </div>
  )
}

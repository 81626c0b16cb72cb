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

const focusable =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

/**
 * A modal dialog: traps Tab, closes on Escape or a click outside, and on close gives focus back to
 * whatever had it before (or to the main area when that element is gone). Restoring happens in a
 * layout effect so that code closing the dialog with flushSync sees focus back in place at once.
 */
export function Modal({ labelledBy, onClose, className, children, testId }: ModalProps) {
  const box = useRef<HTMLDivElement>(null)

  // While it is open, the page's shortcuts stand down (the key dispatcher asks modalStack).
  useLayoutEffect(() => openModal(), [])

  useLayoutEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null
    const first = box.current?.querySelector<HTMLElement>('[data-autofocus]') ?? box.current
    first?.focus()
    return () => {
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
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault()
        last.focus()
      } else if (!event.shiftKey && document.activeElement === last) {
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

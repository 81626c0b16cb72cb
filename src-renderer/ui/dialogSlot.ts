import { create } from 'zustand'

// The one open instance of a dialog and what it is about (an account, a file): opened from anywhere (a key
// on a table, a button), read by the dialog's component, which renders nothing while the slot is empty.

export interface DialogSlot<T> {
  open(value: T): void
  close(): void
  /** The hook: what the dialog is open for, or null when it is closed. */
  useValue(): T | null
}

export function dialogSlot<T>(): DialogSlot<T> {
  const store = create<{ value: T | null }>()(() => ({ value: null }))
  return {
    open: (value) => store.setState({ value }),
    close: () => store.setState({ value: null }),
    useValue: () => store((s) => s.value),
  }
}

import { create } from 'zustand'

/** warning: done, but not all of it yet (orders still awaiting an exchange's confirmation). */
export type ToastKind = 'success' | 'error' | 'info' | 'warning'

export interface Toast {
  id: number
  kind: ToastKind
  title: string
  detail?: string
}

interface ToastState {
  toasts: Toast[]
  push(kind: ToastKind, title: string, detail?: string): number
  dismiss(id: number): void
}

// Errors stay longer: they usually carry something the user must read (a path, a reason).
const lifetimeMs: Record<ToastKind, number> = { success: 8000, info: 6000, warning: 10000, error: 15000 }
const MAX_VISIBLE = 5
let nextId = 0

export const useToasts = create<ToastState>()((set, get) => ({
  toasts: [],
  push(kind, title, detail) {
    const id = ++nextId
    set({ toasts: [...get().toasts, { id, kind, title, detail }].slice(-MAX_VISIBLE) })
    setTimeout(() => get().dismiss(id), lifetimeMs[kind])
    return id
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) })
  },
}))

/** Shorthands for code outside React (actions). */
export const toast = {
  success: (title: string, detail?: string) => useToasts.getState().push('success', title, detail),
  error: (title: string, detail?: string) => useToasts.getState().push('error', title, detail),
  info: (title: string, detail?: string) => useToasts.getState().push('info', title, detail),
  warning: (title: string, detail?: string) => useToasts.getState().push('warning', title, detail),
}

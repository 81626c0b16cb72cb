import { create } from 'zustand'

// Which modal overlay is open. One at a time: opening one closes the other. Running any action closes an
// open dialog first (see shell-actions.ts), so an action that opens one always starts from a clear screen.
export type Overlay = 'palette' | 'shortcuts' | 'paper-reset' | 'account-remove' | 'market-open' | 'trading-confirm'

interface OverlayState {
  open: Overlay | null
  show(which: Overlay): void
  hide(): void
  toggle(which: Overlay): void
}

export const useOverlay = create<OverlayState>()((set, get) => ({
  open: null,
  show: (which) => set({ open: which }),
  hide: () => set({ open: null }),
  toggle: (which) => set({ open: get().open === which ? null : which }),
}))

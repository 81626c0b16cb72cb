import { flushSync } from 'react-dom'
import { navigate, useRoute } from '../../app/router'
import { currentLayout, loadWorkspace } from '../workspace/workspaceStore'
import { TRADE_PAGE } from './tradeStore'
import type { WorkspaceLayout } from '../../../src-main/api/contract'

// Getting to a view from the keyboard: show the Trade page, wait for its layout, and focus a view's
// focusable part (the ladder, the chart, the tape's scroller), marked data-view-focus.

/** Shows the Trade page and resolves with its layout once loaded (null if it cannot be loaded). */
export async function showTrade(): Promise<WorkspaceLayout | null> {
  flushSync(() => {
    if (useRoute.getState().page !== TRADE_PAGE) navigate(TRADE_PAGE)
  })
  await loadWorkspace()
  return currentLayout()
}

const FRAMES = 20

/** Focuses a view's focusable part, waiting a few frames for it to mount (a view just added or loaded). */
export function focusViewElement(id: string): void {
  const find = () => {
    const frame = document.querySelector<HTMLElement>(`[data-view-id="${CSS.escape(id)}"]`)
    return frame?.querySelector<HTMLElement>('[data-view-focus]') ?? frame
  }
  let tries = 0
  const attempt = () => {
    const el = find()
    if (el) el.focus()
    else if (++tries < FRAMES) requestAnimationFrame(attempt)
  }
  attempt()
}

/** Focuses an element by id on the Trade page (the watchlist, the ticket price). */
export function focusById(id: string): void {
  let tries = 0
  const attempt = () => {
    const el = document.getElementById(id)
    if (el) el.focus()
    else if (++tries < FRAMES) requestAnimationFrame(attempt)
  }
  attempt()
}

import type { ReactNode } from 'react'
import { WorkspacePage } from '../features/workspace/WorkspacePage'
import { SettingsPage } from '../features/settings/SettingsPage'

// The pages of the app, in sidebar order. A feature adds a page by adding an entry here; the sidebar,
// the router and the "Go to …" actions all follow.
export interface PageDef {
  id: string
  title: string
  /** Two-letter mark shown in the sidebar. */
  mark: string
  keys: string[]
  render: () => ReactNode
}

export const pages: readonly PageDef[] = [
  { id: 'workspace', title: 'Workspace', mark: 'WS', keys: ['Mod+1'], render: () => <WorkspacePage /> },
  { id: 'settings', title: 'Settings', mark: 'ST', keys: ['Mod+,'], render: () => <SettingsPage /> },
]

export const pageById = (id: string): PageDef => pages.find((p) => p.id === id) ?? pages[0]!

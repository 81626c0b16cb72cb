import { useEffect, useRef } from 'react'
import { Sidebar } from './Sidebar'
import { StatusBar } from './StatusBar'
import { PageHeader } from './PageHeader'
import { CommandPalette } from './palette/CommandPalette'
import { ShortcutsDialog } from './ShortcutsDialog'
import { pageById } from './pages'
import { useRoute } from './router'
import { installHotkeys } from './hotkeys/dispatcher'
import { registerShellActions } from './shell-actions'
import { registerFeatureActions } from './feature-actions'
import { useSettingValue } from '../features/settings/settingsStore'
import { startEngineSync } from '../features/engine/engineStore'
import { Toasts } from '../features/toasts/Toasts'
import { startAccountsSync } from '../features/accounts/accountsStore'
import { startAlertsSync } from '../features/alerts/alertsStore'
import { RemoveAccountDialog } from '../features/accounts/RemoveAccountDialog'
import { PaperResetDialog } from '../features/balances/PaperResetDialog'
import { OpenMarketDialog } from '../features/trade/OpenMarketDialog'
import { TradingConfirmDialog } from '../features/trading/ConfirmDialog'
import './layout.css'
import '../ui/ui.css'

/** The shell: sidebar | page, status bar below, overlays on top (Root draws it while the app is unlocked). */
export function App() {
  useEffect(() => startEngineSync(), [])
  useEffect(() => startAccountsSync(), [])
  // Fired alerts are said on every page, so they are followed for the app's lifetime.
  useEffect(() => startAlertsSync(), [])
  useEffect(() => registerShellActions(), [])
  useEffect(() => registerFeatureActions(), [])
  useEffect(() => installHotkeys(), [])

  const sidebar = useSettingValue('workspace.sidebar')
  const page = pageById(useRoute((s) => s.page))
  const main = useRef<HTMLElement>(null)
  const shownPage = useRef(page.id)

  // A page change moves focus to the new page (as a screen reader or keyboard user expects).
  useEffect(() => {
    if (shownPage.current === page.id) return
    shownPage.current = page.id
    main.current?.focus()
  }, [page.id])

  return (
    <div className="shell" data-sidebar={sidebar === false ? 'hidden' : 'shown'}>
      {sidebar === false ? null : <Sidebar />}
      <main id="main" ref={main} className="main" tabIndex={-1} aria-label={page.title} data-page={page.id}>
        <PageHeader title={page.title} />
        <div className="page">{page.render()}</div>
      </main>
      <StatusBar />
      <CommandPalette />
      <ShortcutsDialog />
      <RemoveAccountDialog />
      <PaperResetDialog />
      <OpenMarketDialog />
      <TradingConfirmDialog />
      <Toasts />
    </div>
  )
}

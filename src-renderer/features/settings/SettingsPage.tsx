import { useId } from 'react'
import { useSettings, type SettingView } from './settingsStore'
import { SettingRow } from './SettingRow'
import { EmptyState } from '../../ui/Panel'
import { LockSettings } from '../lock/LockSettings'
import './settings.css'

/** Every engine setting, grouped by section, each applied the moment it changes. */
export function SettingsPage() {
  const { status, loadError, keys, byKey } = useSettings()
  const sections = new Map<string, SettingView[]>()
  for (const key of keys) {
    const view = byKey[key]
    if (view) sections.set(view.section, [...(sections.get(view.section) ?? []), view])
  }
  return (
    <div className="settings-page" tabIndex={-1} data-focus-region data-testid="settings-page">
      {loadError ? <p className="inline-error">Settings unavailable: {loadError}</p> : null}
      {status === 'loading' && keys.length === 0 ? <EmptyState>Loading settings…</EmptyState> : null}
      {[...sections].map(([section, views]) => (
        <SettingsSection key={section} title={section} views={views} />
      ))}
    </div>
  )
}

function SettingsSection({ title, views }: { title: string; views: SettingView[] }) {
  const id = useId()
  return (
    <section className="settings-section" aria-labelledby={id}>
      <h2 id={id} className="settings-section-title">
        {title}
      </h2>
      <div className="settings-rows">
        {views.map((view) => (
          <SettingRow key={view.key} view={view} />
        ))}
      </div>
      {title === 'Security' ? <LockSettings /> : null}
    </section>
  )
}

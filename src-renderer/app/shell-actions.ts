import { flushSync } from 'react-dom'
import { api } from '../api'
import { registerAction, onBeforeRun, type Action } from './hotkeys/registry'
import { useOverlay } from './overlays'
import { navigate } from './router'
import { pages } from './pages'
import { focusRegion } from './focus-regions'
import { settingValue, useSettings } from '../features/settings/settingsStore'
import { toast } from '../features/toasts/toastStore'
import { formatBytes } from '../ui/format'

// The shell's own actions. Each one really does its job through the engine or the screen; features
// register theirs the same way (registerAction or useAction).

const settingsReady = () => useSettings.getState().status === 'ready'

async function setSetting(key: 'ui.theme' | 'workspace.sidebar', value: string | boolean): Promise<void> {
  const ok = await useSettings.getState().set(key, value)
  if (!ok) toast.error(`Could not change ${key}`, useSettings.getState().errors[key])
}

let backupRunning = false
async function backupNow(): Promise<void> {
  backupRunning = true
  try {
    const result = await api.invoke('store.backup', {})
    toast.success('Database backed up', `${result.path} · ${formatBytes(result.bytes)} · ${result.tookMs} ms`)
  } catch (err) {
    toast.error('Backup failed', err instanceof Error ? err.message : String(err))
  } finally {
    backupRunning = false
  }
}

const themes = [
  { value: 'dark', title: 'Dark' },
  { value: 'midnight', title: 'Midnight' },
  { value: 'contrast', title: 'High contrast' },
] as const

function shellActions(): Action[] {
  const overlay = useOverlay.getState()
  return [
    {
      id: 'app.palette',
      title: 'Open command palette',
      section: 'General',
      keys: ['Mod+K'],
      inDialogs: true,
      run: () => overlay.toggle('palette'),
    },
    ...pages.map(
      (page): Action => ({
        id: `nav.${page.id}`,
        title: `Go to ${page.title}`,
        section: 'Navigation',
        keys: page.keys,
        inDialogs: true,
        run: () => navigate(page.id),
      }),
    ),
    {
      id: 'view.sidebar',
      title: 'Toggle sidebar',
      section: 'View',
      keys: ['Mod+B'],
      enabled: settingsReady,
      run: () => setSetting('workspace.sidebar', settingValue('workspace.sidebar') === false),
    },
    { id: 'view.focusNext', title: 'Focus next panel', section: 'View', keys: ['F6'], run: () => focusRegion(1) },
    {
      id: 'view.focusPrevious',
      title: 'Focus previous panel',
      section: 'View',
      keys: ['Shift+F6'],
      run: () => focusRegion(-1),
    },
    ...themes.map(
      (theme): Action => ({
        id: `theme.${theme.value}`,
        title: `Theme: ${theme.title}`,
        section: 'Appearance',
        enabled: settingsReady,
        run: () => setSetting('ui.theme', theme.value),
      }),
    ),
    {
      id: 'store.backup',
      title: 'Back up database now',
      section: 'Data',
      enabled: () => !backupRunning,
      run: backupNow,
    },
    {
      id: 'help.shortcuts',
      title: 'Show keyboard shortcuts',
      section: 'Help',
      keys: ['Mod+/'],
      inDialogs: true,
      run: () => overlay.toggle('shortcuts'),
    },
  ]
}

/** Registers the shell's actions; returns the function that removes them. */
export function registerShellActions(): () => void {
  const offs = shellActions().map(registerAction)
  // Running anything else closes an open overlay first, so focus is back where the action expects it.
  offs.push(
    onBeforeRun((action) => {
      const { open, hide } = useOverlay.getState()
      const owner = open === 'palette' ? 'app.palette' : open === 'shortcuts' ? 'help.shortcuts' : null
      if (open && action.id !== owner) flushSync(hide)
    }),
  )
  return () => offs.forEach((off) => off())
}

import { useEffect } from 'react'
import { App } from './App'
import { useAppearance } from './useAppearance'
import { startSettingsSync } from '../features/settings/settingsStore'
import { LockScreen } from '../features/lock/LockScreen'
import { startActivityPings, startLockSync, useLock } from '../features/lock/lockStore'

// Whether this page has drawn the app, and whether it was locked after that: the unlock then reloads the
// page, so every view starts again from the engine (which sent nothing while locked).
let appShown = false
let reloadOnUnlock = false

/** What the window shows: the app, or only the lock screen while the engine says it is locked. */
export function Root() {
  useEffect(() => startSettingsSync(), [])
  useEffect(() => startLockSync(), [])
  useEffect(() => startActivityPings(), [])
  useAppearance()
  const status = useLock((s) => s.status)
  const unknown = useLock((s) => s.unknown)

  useEffect(() => {
    if (status?.locked) reloadOnUnlock ||= appShown
    else if (status && reloadOnUnlock) location.reload()
  }, [status])

  if (status === null && !unknown) return <div className="lock-screen" data-testid="app-starting" aria-busy="true" />
  if (status?.locked) return <LockScreen />
  return <ShownApp />
}

function ShownApp() {
  useEffect(() => {
    appShown = true
  }, [])
  return <App />
}

import { comboLabels } from '../app/hotkeys/combo'
import { platform } from '../app/hotkeys/platform'

/** Key caps for a combo such as 'Mod+K', shown the way this platform writes them. */
export function Kbd({ combo }: { combo: string }) {
  const caps = comboLabels(combo, platform)
  return (
    <kbd className="kbd">
      {caps.map((cap, i) => (
        <kbd key={i} className="kbd-cap">
          {cap}
        </kbd>
      ))}
    </kbd>
  )
}

/** Every combo of an action, or nothing. */
export function KeyHints({ keys }: { keys: readonly string[] | undefined }) {
  if (!keys || keys.length === 0) return null
  return (
    <span className="key-hints">
      {keys.map((k) => (
        <Kbd key={k} combo={k} />
      ))}
    </span>
  )
}

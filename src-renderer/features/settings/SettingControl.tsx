import { useRef, useState, type KeyboardEvent } from 'react'
import { useSettings, type SettingView, type SettingValue } from './settingsStore'

interface ControlProps {
  view: SettingView
  id: string
  describedBy: string
  error: string | undefined
}

/** The right control for a setting's kind. The engine validates; controls do not clamp or guess. */
export function SettingControl(props: ControlProps) {
  switch (props.view.kind) {
    case 'enum':
      return <EnumControl {...props} />
    case 'number':
      return <NumberControl {...props} />
    case 'boolean':
      return <BooleanControl {...props} />
  }
}

function EnumControl({ view, id, describedBy, error }: ControlProps) {
  const set = useSettings((s) => s.set)
  return (
    <select
      id={id}
      className="input"
      value={String(view.value)}
      aria-describedby={describedBy}
      aria-invalid={error ? true : undefined}
      onChange={(e) => void set(view.key, e.target.value)}
    >
      {(view.options ?? []).map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  )
}

function BooleanControl({ view, id, describedBy, error }: ControlProps) {
  const set = useSettings((s) => s.set)
  return (
    <input
      id={id}
      type="checkbox"
      role="switch"
      className="switch"
      checked={view.value === true}
      aria-describedby={describedBy}
      aria-invalid={error ? true : undefined}
      onChange={(e) => void set(view.key, e.target.checked)}
    />
  )
}

const stepKeys = new Set(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown'])

/**
 * A number is sent when it is complete: on Enter, on leaving the field, or at once when stepped with
 * the arrow keys or the spinner. Typing '1' on the way to '14' is not sent. Escape restores the
 * stored value. Out-of-range input goes to the engine, whose refusal is shown as is.
 */
function NumberControl({ view, id, describedBy, error }: ControlProps) {
  const set = useSettings((s) => s.set)
  const clearError = useSettings((s) => s.clearError)
  const stored = String(view.value)
  const revision = useSettings((s) => s.revisions[view.key] ?? 0)
  const [draft, setDraft] = useState(stored)
  const [seen, setSeen] = useState(revision)
  // The engine reported this setting (our write, a reset, another window): show its value.
  if (seen !== revision) {
    setSeen(revision)
    setDraft(stored)
  }
  const stepping = useRef(false)
  const lastSent = useRef<string | null>(null)

  const commit = (text: string) => {
    const trimmed = text.trim()
    const n = Number(trimmed)
    const value: SettingValue = trimmed !== '' && Number.isFinite(n) ? n : text
    if (value === view.value) {
      if (error) clearError(view.key)
      return
    }
    if (error && lastSent.current === text) return // already refused; the message is on screen
    lastSent.current = text
    void set(view.key, value)
  }

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    stepping.current = stepKeys.has(e.key)
    if (e.key === 'Enter') {
      e.preventDefault()
      commit(draft)
    } else if (e.key === 'Escape' && (draft !== stored || error)) {
      e.preventDefault()
      setDraft(stored)
      clearError(view.key)
    }
  }

  return (
    <input
      id={id}
      type="number"
      className="input input-number"
      inputMode="numeric"
      min={view.min}
      max={view.max}
      step={view.step}
      value={draft}
      aria-describedby={describedBy}
      aria-invalid={error ? true : undefined}
      onKeyDown={onKeyDown}
      onPointerDown={() => (stepping.current = true)}
      onChange={(e) => {
        setDraft(e.target.value)
        if (stepping.current) commit(e.target.value)
      }}
      onBlur={() => commit(draft)}
    />
  )
}

import { useSettings, type SettingView } from './settingsStore'
import { SettingControl } from './SettingControl'

const show = (value: SettingView['value'], view: SettingView) =>
  typeof value === 'boolean'
    ? value
      ? 'on'
      : 'off'
    : (view.options?.find((o) => o.value === value)?.label ?? String(value))

/** Label, control, reset, description and the engine's refusal (if any) for one setting. */
export function SettingRow({ view }: { view: SettingView }) {
  const error = useSettings((s) => s.errors[view.key])
  const pending = useSettings((s) => s.pending[view.key] === true)
  const reset = useSettings((s) => s.reset)
  const id = `setting-${view.key}`
  const isDefault = view.value === view.default
  return (
    <div className="setting-row" data-testid={`setting-row-${view.key}`} aria-busy={pending || undefined}>
      <label htmlFor={id} className="setting-label">
        {view.label}
      </label>
      <div className="setting-control">
        <SettingControl view={view} id={id} describedBy={`${id}-desc${error ? ` ${id}-error` : ''}`} error={error} />
      </div>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => void reset(view.key)}
        disabled={isDefault && !error}
        aria-label={`Reset ${view.label} to its default`}
        data-testid={`reset-${view.key}`}
      >
        Reset
      </button>
      <p id={`${id}-desc`} className="setting-desc">
        {view.description} <span className="muted">Default: {show(view.default, view)}.</span>
      </p>
      {error ? (
        <p id={`${id}-error`} className="inline-error setting-error" role="alert" data-testid={`error-${view.key}`}>
          {error}
        </p>
      ) : null}
    </div>
  )
}

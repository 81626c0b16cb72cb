import type { ReactNode } from 'react'

// The part of an alert form (price or risk) that says how it is said: a note, desktop, email, once or
// every time, and a webhook. Fields are `${prefix}-note`, `${prefix}-desktop` … (ids and test ids).

export interface ChannelDraft {
  note: string
  desktop: boolean
  email: boolean
  repeat: boolean
  webhookUrl: string
}

interface Props {
  prefix: string
  draft: ChannelDraft
  edit: (patch: Partial<ChannelDraft>) => void
  /** Mail settings are saved (email can be chosen). */
  emailReady: boolean
  repeatLabel: string
  /** The engine's words for a field, shown under it. */
  error: (field: 'note' | 'webhookUrl') => ReactNode
}

export function ChannelFields({ prefix, draft, edit, emailReady, repeatLabel, error }: Props) {
  return (
    <>
      <label className="form-label" htmlFor={`${prefix}-note`}>
        Note
      </label>
      <div className="form-field">
        <input id={`${prefix}-note`} className="input" maxLength={200} value={draft.note} onChange={(e) => edit({ note: e.target.value })} placeholder="optional" data-testid={`${prefix}-note`} />
        {error('note')}
      </div>
      <div className="form-label" />
      <div className="form-field">
        <label className="form-check">
          <input type="checkbox" checked={draft.desktop} onChange={(e) => edit({ desktop: e.target.checked })} data-testid={`${prefix}-desktop`} /> desktop notification
        </label>
        <label className="form-check" title={emailReady ? undefined : 'Save the mail settings below first'}>
          <input type="checkbox" checked={draft.email && emailReady} disabled={!emailReady} onChange={(e) => edit({ email: e.target.checked })} data-testid={`${prefix}-email`} /> email
          {emailReady ? null : <span className="muted"> (mail settings below)</span>}
        </label>
        <label className="form-check">
          <input type="checkbox" checked={draft.repeat} onChange={(e) => edit({ repeat: e.target.checked })} data-testid={`${prefix}-repeat`} /> {repeatLabel}
        </label>
      </div>
      <label className="form-label" htmlFor={`${prefix}-webhook`}>
        Webhook
      </label>
      <div className="form-field">
        <input
          id={`${prefix}-webhook`}
          className="input"
          autoComplete="off"
          spellCheck={false}
          placeholder="optional: https://… (JSON POST)"
          value={draft.webhookUrl}
          onChange={(e) => edit({ webhookUrl: e.target.value })}
          data-testid={`${prefix}-webhook`}
        />
        {error('webhookUrl')}
      </div>
    </>
  )
}

import type { CommandInput, EmailSettingsView } from '../../../src-main/api/contract'

type EmailSettingsInput = CommandInput<'alerts.emailSet'>

// What the Email form sends to alerts.emailSet: the typed settings (an empty password keeps the saved
// one), or the saved settings with password null to remove the saved password.

export interface EmailDraft {
  host: string
  port: string
  security: 'tls' | 'starttls' | 'none'
  username: string
  password: string
  from: string
  to: string
}

export const emailDraftOf = (v: EmailSettingsView | null): EmailDraft => ({
  host: v?.host ?? '',
  port: String(v?.port ?? 587),
  security: v?.security ?? 'starttls',
  username: v?.username ?? '',
  password: '',
  from: v?.from ?? '',
  to: v?.to ?? '',
})

/** Save: an empty password field keeps the saved password (it cannot be read back). */
export const emailSaveInput = (draft: EmailDraft): EmailSettingsInput => ({
  host: draft.host.trim(),
  port: Number(draft.port),
  security: draft.security,
  username: draft.username.trim() === '' ? null : draft.username.trim(),
  ...(draft.password === '' ? {} : { password: draft.password }),
  from: draft.from.trim(),
  to: draft.to.trim(),
})

/** "Remove saved password": the saved settings unchanged, the password deleted. */
export const emailRemovePasswordInput = (saved: EmailSettingsView): EmailSettingsInput => ({
  host: saved.host,
  port: saved.port,
  security: saved.security,
  username: saved.username,
  password: null,
  from: saved.from,
  to: saved.to,
})

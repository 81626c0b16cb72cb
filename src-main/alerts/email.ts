import { eq } from 'drizzle-orm'
import type { Db } from '../store/open'
import type { KeyMode, SecretsService } from '../secrets/service'
import { AppError, messageOf } from '../api/errors'
import { plainLoginRefusal, type DeliveryResult, type EmailSettingsInput, type EmailSettingsView } from '../api/schemas/alerts'
import { alertEmail } from './tables'
import { SmtpPool, type AfterDataError } from './smtp-pool'

// The email channel of alerts: the SMTP settings (one row; the password sealed by the secrets module's
// master key, AAD 'alerts.email', as exchange credentials are) and the sending, through nodemailer. A
// failure comes back as words (the server's answer, a refused connection, a locked key store), never
// thrown at the alert: the alert has fired whatever the mail did.

const ROW_ID = 1
const AAD = 'alerts.email'

export interface MailConfig {
  host: string
  port: number
  security: 'tls' | 'starttls' | 'none'
  username: string | null
  password: string | null
  from: string
  to: string
}

/** Sends one plain-text message; resolves with the server's answer ("250 OK …"). */
export type MailSend = (config: MailConfig, message: { subject: string; text: string }) => Promise<string>

export interface MailRetryOptions {
  /** Tries in all for a temporary failure (a 4xx answer, a connection that failed or dropped before the message went). */
  attempts?: number
  /** Waits before the 2nd, 3rd … try. */
  backoffMs?: readonly number[]
  sleep?: (ms: number) => Promise<void>
  /** How long a silent SMTP server is waited for (default: minutes; tests shorten it). */
  answerTimeoutMs?: number
}

/** A timeout or drop after the message had gone: the server may have it, so it is never sent again (as webhooks). */
const AFTER_DATA = 'no answer after the message was sent (it may have arrived: not sent again)'

/**
 * A 4xx answer (421 too many connections, 451 try later: the server said it has not taken the message) or
 * a connection problem before the message went: worth another try.
 */
function temporary(err: unknown): boolean {
  const e = err as { responseCode?: unknown; code?: unknown; message?: unknown }
  if (typeof e.responseCode === 'number') return e.responseCode >= 400 && e.responseCode < 500
  return e.code === 'ECONNECTION' || e.code === 'ETIMEDOUT' || e.code === 'ESOCKET' || e.code === 'EDNS'
}

/** OpenSSL's words when what came back was not TLS (a plain SMTP greeting): TLS asked of a STARTTLS/plain port. */
const NOT_TLS = /wrong version number|packet length too long|unknown protocol|http request/i

/** A failure in words the user can act on; the server's own answer otherwise. */
function failureDetail(err: unknown, c: MailConfig): string {
  if (c.security === 'tls' && NOT_TLS.test(messageOf(err))) {
    return `The server did not start TLS on port ${c.port}: use STARTTLS (usually 587) or TLS (usually 465)`
  }
  return messageOf(err)
}

export class EmailChannel {
  private readonly pool: SmtpPool | null
  private readonly send_: MailSend

  /** `send` replaces SMTP (tests); without it, one shared connection pool (closed by stop()). */
  constructor(
    private readonly db: Db,
    private readonly secrets: Pick<SecretsService, 'seal' | 'open'>,
    private readonly now: () => number,
    send?: MailSend,
    private readonly retry: MailRetryOptions = {},
  ) {
    this.pool = send ? null : new SmtpPool(retry.answerTimeoutMs)
    this.send_ = send ?? this.pool!.send
  }

  /** Closes the SMTP connections (the next send opens them again). */
  stop(): void {
    this.pool?.close()
  }

  view(): EmailSettingsView | null {
    const row = this.db.select().from(alertEmail).where(eq(alertEmail.id, ROW_ID)).get()
    if (row === undefined) return null
    return {
      host: row.host,
      port: row.port,
      security: row.security,
      username: row.username,
      hasPassword: row.passwordCiphertext !== null,
      from: row.fromAddress,
      to: row.toAddress,
      updatedAt: row.updatedAt,
    }
  }

  /** 1 when the saved password is sealed with this key mode (the secrets module counts it before changing keys). */
  sealedCount(mode: KeyMode): number {
    const row = this.db.select({ mode: alertEmail.passwordKeyMode }).from(alertEmail).where(eq(alertEmail.id, ROW_ID)).get()
    return row?.mode === mode ? 1 : 0
  }

  /** The master key that sealed the password is lost (secrets.resetMasterKey): the password is deleted, to be entered again. */
  forgetSealed(mode: KeyMode): number {
    return this.db
      .update(alertEmail)
      .set({ passwordCiphertext: null, passwordIv: null, passwordTag: null, passwordKeyMode: null })
      .where(eq(alertEmail.passwordKeyMode, mode))
      .run().changes
  }

  /** Saves the settings; a password given is sealed first (nothing is written if sealing fails). */
  async set(input: EmailSettingsInput): Promise<EmailSettingsView> {
    const saved = this.db.select().from(alertEmail).where(eq(alertEmail.id, ROW_ID)).get()
    const username = input.username === '' ? null : input.username
    // The saved password belongs to the server and login it was given for: it is never sent elsewhere.
    // Without a user name there is no login to send it with: it is dropped (how a relay without login, or
    // a password sealed with a lost master key, is got rid of) rather than kept or refused.
    if (input.password === undefined && username === null) input = { ...input, password: null }
    if (input.password === undefined && saved !== undefined && saved.passwordCiphertext !== null) {
      const moved = saved.host !== input.host || saved.port !== input.port || saved.security !== input.security || saved.username !== username
      if (moved) throw new AppError('BAD_INPUT', 'password: enter the password again for the new server, port, security or user name (the saved one is only sent where it was given)')
    }
    let password: { passwordCiphertext: Buffer | null; passwordIv: Buffer | null; passwordTag: Buffer | null; passwordKeyMode: 'keychain' | 'passphrase' | null } | undefined
    if (input.password === null || input.password === '') password = { passwordCiphertext: null, passwordIv: null, passwordTag: null, passwordKeyMode: null }
    else if (input.password !== undefined) {
      const box = await this.secrets.seal(input.password, AAD)
      password = { passwordCiphertext: box.ciphertext, passwordIv: box.iv, passwordTag: box.tag, passwordKeyMode: box.mode }
    }
    const values = {
      host: input.host,
      port: input.port,
      security: input.security,
      username,
      fromAddress: input.from,
      toAddress: input.to,
      updatedAt: this.now(),
      ...password,
    }
    this.db
      .insert(alertEmail)
      .values({ id: ROW_ID, ...values })
      .onConflictDoUpdate({ target: alertEmail.id, set: values })
      .run()
    return this.view() as EmailSettingsView
  }

  /** Sends one message with the saved settings. Never throws: the result says what happened. */
  async send(subject: string, text: string): Promise<DeliveryResult> {
    const row = this.db.select().from(alertEmail).where(eq(alertEmail.id, ROW_ID)).get()
    if (row === undefined) return { delivered: false, detail: 'no mail settings saved (Alerts page → Email)' }
    // Settings saved before "none" was limited to this machine: the login is not sent in clear elsewhere.
    const refused = plainLoginRefusal(row.security, row.host, row.username !== null || row.passwordCiphertext !== null)
    if (refused) return { delivered: false, detail: `not sent: ${refused}` }
    let password: string | null = null
    if (row.passwordCiphertext !== null && row.passwordIv !== null && row.passwordTag !== null && row.passwordKeyMode !== null) {
      try {
        password = await this.secrets.open({ ciphertext: row.passwordCiphertext, iv: row.passwordIv, tag: row.passwordTag }, row.passwordKeyMode, AAD)
      } catch (err) {
        return { delivered: false, detail: `the mail password could not be opened: ${messageOf(err)}` }
      }
    }
    const config: MailConfig = { host: row.host, port: row.port, security: row.security, username: row.username, password, from: row.fromAddress, to: row.toAddress }
    const attempts = this.retry.attempts ?? 3
    const backoff = this.retry.backoffMs ?? [1000, 4000]
    const sleep = this.retry.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await this.send_(config, { subject, text })
        return { delivered: true, detail: answer.trim() || 'sent' }
      } catch (err) {
        if ((err as AfterDataError).afterData === true) return { delivered: false, detail: AFTER_DATA }
        const detail = failureDetail(err, config)
        // A TLS mismatch says ESOCKET like a dropped connection, but trying again cannot help.
        const again = temporary(err) && detail === messageOf(err)
        if (!again || attempt >= attempts) return { delivered: false, detail: attempt > 1 ? `${detail} after ${attempt} attempts` : detail }
      }
      await sleep(backoff[Math.min(attempt - 1, backoff.length - 1)] ?? 1000)
    }
  }

  /** alerts.emailTest: a refusal when nothing is saved, else the server's answer. */
  async test(): Promise<DeliveryResult> {
    if (this.view() === null) throw new AppError('CONFLICT', 'Save the mail settings first')
    return this.send('CryptoOrchestrator: test email', 'This is a test of the alert emails. Alerts set to email will arrive like this.')
  }
}

import type Database from 'better-sqlite3'
import { and, eq, isNotNull, isNull } from 'drizzle-orm'
import type { Db } from '../store/open'
import type { Logger } from '../log'
import type { KeyMode, SecretsService } from '../secrets/service'
import { AppError, messageOf } from '../api/errors'
import { alertRules, riskAlertRules } from './tables'
import { maskWebhookUrl } from './webhook'

// An alert's webhook URL is a password (Slack, Discord, Teams: the token is in its path), so it is sealed
// by the secrets module's master key as exchange credentials and the mail password are. The row keeps the
// box and the masked form views show; a delivery opens the box when it sends (so it goes out whatever the
// app lock says, as emails do: the key is the key store's, not the lock's). Rows written before URLs were
// sealed hold them in webhook_url: sealPlaintext() seals them all at once, at start and whenever the key
// store becomes ready (a passphrase-derived key is only there once unlocked).

export type WebhookRuleKind = 'price' | 'risk'

/** The columns a rule's webhook is stored in. */
export interface WebhookColumns {
  webhookUrl: string | null
  webhookCiphertext: Buffer | null
  webhookIv: Buffer | null
  webhookTag: Buffer | null
  webhookKeyMode: KeyMode | null
  webhookMask: string | null
}

export const NO_WEBHOOK: WebhookColumns = { webhookUrl: null, webhookCiphertext: null, webhookIv: null, webhookTag: null, webhookKeyMode: null, webhookMask: null }

const tables = { price: alertRules, risk: riskAlertRules } as const

/** Bound to the rule: a box copied onto another rule does not open. */
const aadOf = (ruleId: string) => `alerts.webhook:${ruleId}`

export function hasWebhook(rule: WebhookColumns): boolean {
  return rule.webhookCiphertext !== null || rule.webhookUrl !== null
}

/** What views show: scheme://host/… (never the path, which often holds the token). */
export function webhookView(rule: WebhookColumns): string | null {
  if (rule.webhookMask !== null) return rule.webhookMask
  return rule.webhookUrl === null ? null : maskWebhookUrl(rule.webhookUrl)
}

export class WebhookSecrets {
  private sealing: Promise<number> | null = null
  private stopped = false

  constructor(
    private readonly db: Db,
    private readonly secrets: Pick<SecretsService, 'seal' | 'open'>,
    private readonly log: Logger,
  ) {}

  /** The columns for a new rule's URL; refuses (nothing is written) when there is no key to seal it with. */
  async seal(ruleId: string, url: string | null): Promise<WebhookColumns> {
    if (url === null) return NO_WEBHOOK
    try {
      return await this.box(ruleId, url)
    } catch (err) {
      throw new AppError('UNAVAILABLE', `webhookUrl: the URL could not be sealed (it is a password, never stored in plaintext): ${messageOf(err)}`)
    }
  }

  /** The rule's URL as stored now, opened at send time. Throws (saying why) when the box does not open. */
  async open(kind: WebhookRuleKind, ruleId: string): Promise<string> {
    const t = tables[kind]
    const row = this.db
      .select({ webhookUrl: t.webhookUrl, webhookCiphertext: t.webhookCiphertext, webhookIv: t.webhookIv, webhookTag: t.webhookTag, webhookKeyMode: t.webhookKeyMode })
      .from(t)
      .where(eq(t.id, ruleId))
      .get()
    if (row === undefined) throw new Error(`no ${kind} alert ${ruleId}`)
    if (row.webhookCiphertext !== null && row.webhookIv !== null && row.webhookTag !== null && row.webhookKeyMode !== null) {
      return this.secrets.open({ ciphertext: row.webhookCiphertext, iv: row.webhookIv, tag: row.webhookTag }, row.webhookKeyMode, aadOf(ruleId))
    }
    // Not sealed yet (a row from before, while the key store was not ready): the plaintext it still holds.
    if (row.webhookUrl !== null) return row.webhookUrl
    throw new Error('the alert has no webhook')
  }

  /** Active alerts whose URL is sealed with this key mode (the secrets module counts them before changing keys). */
  sealedCount(mode: KeyMode): number {
    let n = 0
    for (const t of Object.values(tables)) {
      n += this.db.select({ id: t.id }).from(t).where(and(eq(t.status, 'active'), eq(t.webhookKeyMode, mode))).all().length
    }
    return n
  }

  /** The master key that sealed these URLs is lost (secrets.resetMasterKey): the alerts keep going without a webhook. */
  forgetSealed(mode: KeyMode): number {
    let n = 0
    for (const t of Object.values(tables)) n += this.db.update(t).set(NO_WEBHOOK).where(eq(t.webhookKeyMode, mode)).run().changes
    return n
  }

  /**
   * Seals every URL still in plaintext, all in one transaction after every box is made: a failure (no key
   * yet, the keychain gone half-way) writes nothing and leaves every row as it was, to be sealed at a later
   * start or unlock. Returns how many were sealed; a call while one runs joins it.
   */
  sealPlaintext(): Promise<number> {
    if (this.stopped) return Promise.resolve(0)
    this.sealing ??= this.sealAll().finally(() => (this.sealing = null))
    return this.sealing
  }

  /** The engine is closing: waits for a sealing under way (the store closes next) and starts no other. */
  async stop(): Promise<void> {
    this.stopped = true
    await this.sealing?.catch(() => undefined)
  }

  private async sealAll(): Promise<number> {
    const pending: { kind: WebhookRuleKind; id: string; url: string }[] = []
    for (const [kind, t] of Object.entries(tables) as [WebhookRuleKind, (typeof tables)[WebhookRuleKind]][]) {
      const rows = this.db.select({ id: t.id, url: t.webhookUrl }).from(t).where(isNotNull(t.webhookUrl)).all()
      for (const r of rows) pending.push({ kind, id: r.id, url: r.url! })
    }
    if (pending.length === 0) return 0
    const boxes: { kind: WebhookRuleKind; id: string; url: string; columns: WebhookColumns }[] = []
    for (const p of pending) boxes.push({ ...p, columns: await this.box(p.id, p.url) })
    const sqlite = (this.db as Db & { $client: Database.Database }).$client
    // The plaintext must not linger in the file's free space after the update.
    const secureDelete = sqlite.pragma('secure_delete', { simple: true }) as number
    sqlite.pragma('secure_delete = ON')
    let sealed = 0
    try {
      this.db.transaction((tx) => {
        for (const b of boxes) {
          const t = tables[b.kind]
          // Only a row still holding the URL the box was made from (webhook URLs never change; this is a guard).
          sealed += tx
            .update(t)
            .set(b.columns)
            .where(and(eq(t.id, b.id), eq(t.webhookUrl, b.url), isNull(t.webhookCiphertext)))
            .run().changes
        }
      })
    } finally {
      sqlite.pragma(`secure_delete = ${secureDelete}`)
    }
    // The old pages (with the plaintext) may still be in the WAL: written back into the file now.
    try {
      sqlite.pragma('wal_checkpoint(TRUNCATE)')
    } catch (err) {
      this.log.warn('could not checkpoint after sealing webhook URLs', { error: messageOf(err) })
    }
    this.log.info('webhook URLs stored in plaintext were sealed', { count: sealed })
    return sealed
  }

  private async box(ruleId: string, url: string): Promise<WebhookColumns> {
    const box = await this.secrets.seal(url, aadOf(ruleId))
    return { webhookUrl: null, webhookCiphertext: box.ciphertext, webhookIv: box.iv, webhookTag: box.tag, webhookKeyMode: box.mode, webhookMask: maskWebhookUrl(url) }
  }
}

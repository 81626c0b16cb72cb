import crypto from 'node:crypto'
import { and, asc, count, eq, inArray } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '../store/open'
import type { EventBus } from '../bus'
import type { Logger } from '../log'
import type { AccountTestResult, AccountView, ExchangeInfo } from '../api/contract'
import { AppError } from '../api/errors'
import { formatIssues } from '../api/format-issues'
import type { KeyMode, SecretsService } from '../secrets/service'
import type { AccountVenue, CcxtAccountConfig, CcxtCredentials, ConnectionTest } from '../venues/ccxt/venue'
import type { RequestHold } from '../venues/ccxt/request-hold'
import { ipHoldKey, type HostOf } from '../venues/ip-rate-limits'
import { accountExchangeAccounts, accountSecrets, accounts, removedAccounts } from './tables'
import { exchangeIds, exchangeSpecs, isExchangeId, type ExchangeId } from './exchanges'
import {
  accountAddInputSchema,
  accountUpdateInputSchema,
  credentialIssues,
  sandboxMessage,
  type CredentialsInput,
} from './validation'

// Owns the accounts, account_secrets and account_exchange_accounts tables. Credentials are sealed (secrets/) before anything is
// written, so every change is one SQLite transaction and a failure leaves the database as it was.
// Nothing this service returns or emits carries a credential: views show only the API key's last four
// characters. Venues (with opened credentials) are built in the main process only, by openVenue().

export type VenueFactory = (config: CcxtAccountConfig) => AccountVenue | Promise<AccountVenue>

export interface AccountsServiceOptions {
  now?: () => number
  /** Builds the venue an account talks through; default: CcxtVenue (ccxt is loaded on first use). */
  createVenue?: VenueFactory
  /**
   * An account's rate hold (the order manager's: every request held for the exchange's Retry-After), kept by the
   * venues it opens (request-hold.ts); none: never held.
   */
  requestHold?: (accountId: string) => RequestHold
  /** Begins (or extends) an account's hold of every request: a 429/418 with Retry-After answered one of its reads. */
  holdAll?: (accountId: string, ms: number, said?: string) => void
}

type AccountRow = typeof accounts.$inferSelect
type AccountRef = Pick<AccountRow, 'id' | 'exchange'>

/** Where an account connects: the live exchange or its test network, at the exchange's API or a custom base URL. */
interface Environment {
  sandbox: boolean
  apiBaseUrl: string | null
}

const sameEnvironment = (a: Environment, b: Environment) => a.sandbox === b.sandbox && a.apiBaseUrl === b.apiBaseUrl

/** What works through an account's current connection: it may not move to another environment while any is there. */
export interface ConnectionUse {
  /** Orders open on the exchange (native stops included). */
  openOrders: number
  /** Conditional orders armed in the app. */
  conditionalOrders: number
}

const openedCredentialsSchema = z
  .object({ apiKey: z.string().min(1), secret: z.string().min(1), password: z.string().optional() })
  .strict()

const defaultVenueFactory: VenueFactory = async (config) => (await import('../venues/ccxt/venue')).createCcxtVenue(config)

export class AccountsService {
  private readonly now: () => number
  private readonly createVenue: VenueFactory
  private readonly requestHold: ((accountId: string) => RequestHold) | undefined
  private readonly holdAll: ((accountId: string, ms: number, said?: string) => void) | undefined
  private readonly openVenues = new Set<AccountVenue>()
  /** Names of the other venues (the simulated exchange, paper accounts) an account may not take. */
  private readonly reserved: (() => Iterable<string>)[] = []
  private connectionUse: (id: string) => ConnectionUse = () => ({ openOrders: 0, conditionalOrders: 0 })
  /** Set by stop(): work queued for later (setImmediate) finds the database closed. */
  private stopped = false

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretsService,
    private readonly bus: EventBus,
    private readonly log: Logger,
    options: AccountsServiceOptions = {},
  ) {
    this.now = options.now ?? Date.now
    this.createVenue = options.createVenue ?? defaultVenueFactory
    this.requestHold = options.requestHold
    this.holdAll = options.holdAll
    secrets.addSealedCount((mode) => this.sealedCount(mode))
    secrets.addForget((mode) => this.forgetSealed(mode))
  }

  /** Another module's venue names (the registry's simulated exchange and paper accounts): no account may take one. */
  reserveLabels(names: () => Iterable<string>): void {
    this.reserved.push(names)
  }

  /** The trading modules' counts of what works through an account (core binds them once they are built). */
  bindConnectionUse(count: (id: string) => ConnectionUse): void {
    this.connectionUse = count
  }

  exchanges(): ExchangeInfo[] {
    return exchangeIds.map((id) => {
      const spec = exchangeSpecs[id]
      return {
        id,
        name: spec.name,
        needsPassword: spec.needsPassword,
        sandbox: spec.sandbox,
        defaultApiOrigin: spec.defaultApiOrigin,
        apiKeyFormat: spec.apiKey.map((f) => f.describe).join(' or '),
        secretFormat: spec.secret.map((f) => f.describe).join(' or '),
      }
    })
  }

  list(): AccountView[] {
    return this.db
      .select()
      .from(accounts)
      .orderBy(accounts.createdAt, accounts.id)
      .all()
      .map((row) => this.view(row))
  }

  get(id: string): AccountView {
    return this.view(this.row(id))
  }

  /** Every removed account by the name it had, oldest removal first. */
  formerList(): { id: string; label: string }[] {
    return this.db.select({ id: removedAccounts.id, label: removedAccounts.label }).from(removedAccounts).orderBy(removedAccounts.removedAt, removedAccounts.id).all()
  }

  /** The name an account had when it was removed (history keeps showing it); undefined for any other id. */
  formerLabel(id: string): string | undefined {
    return this.db.select({ label: removedAccounts.label }).from(removedAccounts).where(eq(removedAccounts.id, id)).get()?.label
  }

  async add(input: unknown): Promise<AccountView> {
    const parsed = accountAddInputSchema.safeParse(input)
    if (!parsed.success) throw new AppError('BAD_INPUT', formatIssues(parsed.error))
    const { exchange, label, sandbox, apiBaseUrl, credentials } = parsed.data
    const id = crypto.randomUUID()
    // Before sealing: a taken name is said at once, whatever the key store answers (checked again in the write).
    this.assertLabelFree(this.db, label, null)
    const sealed = await this.secrets.seal(serialize(credentials), id)
    const at = this.now()
    this.db.transaction((tx) => {
      this.assertLabelFree(tx, label, null)
      tx.insert(accounts)
        .values({ id, exchange, label, sandbox, apiBaseUrl, keyHint: keyHint(credentials.apiKey), createdAt: at, updatedAt: at })
        .run()
      tx.insert(accountSecrets)
        .values({ accountId: id, ciphertext: sealed.ciphertext, iv: sealed.iv, authTag: sealed.tag, keyMode: sealed.mode, sealedAt: at })
        .run()
    })
    const view = this.get(id)
    this.log.info(`account added: ${exchange} "${label}" (${id})`)
    this.bus.emit('accountsChanged', { change: 'added', id, account: view })
    return view
  }

  /** Label, sandbox, base URL and optionally new credentials. Changing where or how it connects clears the last test. */
  async update(input: unknown): Promise<AccountView> {
    const parsed = accountUpdateInputSchema.safeParse(input)
    if (!parsed.success) throw new AppError('BAD_INPUT', formatIssues(parsed.error))
    const change = parsed.data
    const row = this.row(change.id)
    const exchange = this.exchangeOf(row)
    if (change.sandbox === true && !exchangeSpecs[exchange].sandbox) {
      throw new AppError('BAD_INPUT', `sandbox: ${sandboxMessage(exchange)}`)
    }
    if (change.credentials) {
      const issues = credentialIssues(exchange, change.credentials)
      if (issues.length > 0) {
        throw new AppError('BAD_INPUT', issues.map((i) => `credentials.${i.path.join('.')}: ${i.message}`).join('; '))
      }
    }
    this.assertSameEnvironment(row, change)
    const target = environmentAfter(row, change)
    const checked = await this.checkKey(row, target, change.credentials ?? null)
    const sealed = change.credentials ? await this.secrets.seal(serialize(change.credentials), row.id) : undefined
    const at = this.now()
    // Sealing waited: another edit (another window) may have saved meanwhile. Read the row again in the
    // write's transaction and write only the fields this edit names, so neither edit undoes the other.
    const reconnects = this.db.transaction((tx) => {
      const fresh = tx.select().from(accounts).where(eq(accounts.id, row.id)).get()
      if (!fresh) throw new AppError('NOT_FOUND', `No account with id ${row.id}`)
      if (change.label !== undefined) this.assertLabelFree(tx, change.label, fresh.id)
      this.assertSameEnvironment(fresh, change)
      const moves = !sameEnvironment(fresh, environmentAfter(fresh, change))
      const reconnecting = sealed !== undefined || moves
      // The key was tested where the account was to connect then; another edit moved it meanwhile (another exchange
      // user there), or saved another key that this move takes along: start again, so that what is checked is what
      // will connect, against what is known where it will.
      if (checked && (!sameEnvironment(fresh, row) || (!sealed && this.sealedVersion(fresh.id, tx) !== checked.sealed))) return null
      const known = this.identityKnown(fresh) ? this.recordedAccount(tx, fresh, environmentAfter(fresh, change)) : null
      // The key was checked against the exchange account known then; another edit or test may have changed it meanwhile.
      if (checked && known !== null && known !== checked.exchangeAccount) this.assertSameExchangeAccount(fresh, known, checked.exchangeAccount, checked.failure, !sealed)
      // Nothing was known to check the key against, but a test or first connection learnt it meanwhile: the key
      // is checked (again, from the start) rather than saved unchecked. Writes nothing.
      if (!checked && known !== null && (sealed !== undefined || (moves && this.sealedVersion(fresh.id, tx) !== undefined))) return null
      // Each environment (test network, another base URL) keeps the exchange account recorded there: moving does
      // not forget it, and moving back checks against it.
      tx.update(accounts)
        .set({
          ...(change.label !== undefined ? { label: change.label } : {}),
          ...(change.sandbox !== undefined ? { sandbox: change.sandbox } : {}),
          ...(change.apiBaseUrl !== undefined ? { apiBaseUrl: change.apiBaseUrl } : {}),
          updatedAt: at,
          ...(change.credentials ? { keyHint: keyHint(change.credentials.apiKey) } : {}),
          ...(reconnecting ? clearedTest : {}),
        })
        .where(eq(accounts.id, fresh.id))
        .run()
      if (sealed) {
        const values = { ciphertext: sealed.ciphertext, iv: sealed.iv, authTag: sealed.tag, keyMode: sealed.mode, sealedAt: at }
        tx.insert(accountSecrets)
          .values({ accountId: fresh.id, ...values })
          .onConflictDoUpdate({ target: accountSecrets.accountId, set: values })
          .run()
      }
      return reconnecting
    })
    if (reconnects === null) return this.update(input)
    const view = this.get(row.id)
    this.bus.emit('accountsChanged', { change: 'updated', id: row.id, account: view, reconnects })
    return view
  }

  /**
   * Removes the account and its sealed credentials in one transaction, keeping only its name (formerLabel),
   * and closes its open venues. The modules that worked through it hear accountsChanged 'removed'.
   */
  async remove(id: string): Promise<{ id: string; removed: true }> {
    const at = this.now()
    this.db.transaction((tx) => {
      const row = tx.select().from(accounts).where(eq(accounts.id, id)).get()
      if (!row) throw new AppError('NOT_FOUND', `No account with id ${JSON.stringify(id.slice(0, 64))}`)
      tx.delete(accountSecrets).where(eq(accountSecrets.accountId, id)).run()
      tx.delete(accountExchangeAccounts).where(eq(accountExchangeAccounts.accountId, id)).run()
      tx.delete(accounts).where(eq(accounts.id, id)).run()
      tx.insert(removedAccounts)
        .values({ id, exchange: row.exchange, label: row.label, removedAt: at })
        .onConflictDoUpdate({ target: removedAccounts.id, set: { exchange: row.exchange, label: row.label, removedAt: at } })
        .run()
    })
    await Promise.all([...this.openVenues].filter((v) => v.id === id).map((v) => v.close().catch(() => undefined)))
    this.log.info(`account removed (${id})`)
    this.bus.emit('accountsChanged', { change: 'removed', id, account: null })
    return { id, removed: true }
  }

  /**
   * Fetches balances with the stored credentials; the outcome (good or bad) is kept on the account, if the key
   * tested is still the account's key where it connects: a result that ends after a new key was saved or the
   * account moved is about what was there before, and is refused (CONFLICT) with nothing written.
   */
  async test(id: string): Promise<AccountTestResult> {
    const row = this.row(id)
    const sealed = this.sealedVersion(id)
    const venue = await this.venueFor(row)
    let result: ConnectionTest
    try {
      result = await venue.testConnection()
    } finally {
      await venue.close().catch(() => undefined)
    }
    const at = this.now()
    const written = this.db.transaction((tx) => {
      const fresh = tx.select().from(accounts).where(eq(accounts.id, id)).get()
      if (!fresh) return null
      if (this.sealedVersion(id, tx) !== sealed || fresh.sandbox !== row.sandbox || fresh.apiBaseUrl !== row.apiBaseUrl) return false
      // The first good test in an environment learns which exchange account the history there comes from; a known
      // one is never overwritten (new keys are checked against it in update()).
      if (result.ok && result.exchangeAccount) this.recordAccount(tx, fresh, fresh, result.exchangeAccount, at)
      tx.update(accounts)
        .set({
          lastTestOk: result.ok,
          lastTestKind: result.kind,
          lastTestMessage: result.message,
          lastTestLatencyMs: result.latencyMs,
          lastTestBalances: result.balanceCount,
          lastTestAt: at,
          ...(result.ok ? { canTrade: result.canTrade } : {}),
        })
        .where(eq(accounts.id, id))
        .run()
      return true
    })
    if (written === false) {
      throw new AppError('CONFLICT', "The account's key or where it connects changed while it was being tested; nothing was recorded. Please test it again")
    }
    const stillThere = this.db.select().from(accounts).where(eq(accounts.id, id)).get()
    if (stillThere) this.bus.emit('accountsChanged', { change: 'tested', id, account: this.view(stillThere) })
    const { exchangeAccount: _learnt, exchangeAccountUnknown: _unknown, ...shown } = result
    return { accountId: id, ...shown, at }
  }

  /**
   * The account's venue, credentials opened from the sealed box. Main process only: the venue holds the
   * credentials. The caller connects and closes it (closing also happens when the account is removed
   * or the engine stops).
   */
  async openVenue(id: string): Promise<AccountVenue> {
    const sealed = this.sealedVersion(id)
    const row = this.row(id)
    const venue = await this.venueFor(row)
    this.openVenues.add(venue)
    const close = venue.close.bind(venue)
    venue.close = async () => {
      this.openVenues.delete(venue)
      await close()
    }
    const connect = venue.connect.bind(venue)
    venue.connect = async () => {
      await connect()
      this.learnExchangeAccount(id, venue, sealed, row)
    }
    return venue
  }

  /**
   * An account connected before its exchange account is known where it connects (never tested there): asks once,
   * in the background, so that the next key change is checked against it (update()). A known one is never overwritten.
   */
  private learnExchangeAccount(id: string, venue: AccountVenue, sealed: string | undefined, opened: Environment): void {
    const row = this.db.select().from(accounts).where(eq(accounts.id, id)).get()
    if (!row || !venue.exchangeAccount || !this.identityKnown(row) || !sameEnvironment(row, opened)) return
    if (this.recordedAccount(this.db, row, opened) !== null) return
    venue.exchangeAccount().then(
      (found) => {
        if (found === null || this.stopped) return
        this.db.transaction((tx) => {
          // Only for the key and the environment this venue opened: a key saved meanwhile (unchecked) is not this
          // one's account, and another environment is another exchange user.
          const now = tx.select().from(accounts).where(eq(accounts.id, id)).get()
          if (!now || this.sealedVersion(id, tx) !== sealed || !sameEnvironment(now, opened)) return
          this.recordAccount(tx, now, opened, found, this.now())
        })
      },
      () => undefined,
    )
  }

  /**
   * The exchange account recorded for the account in that environment; null if none is. The exchange's own live API
   * written out as a base URL is the live exchange (recordedSpellings); of two records there, the first learnt counts.
   */
  private recordedAccount(db: Pick<Db, 'select'>, account: AccountRef, where: Environment): string | null {
    return (
      db
        .select({ exchangeAccount: accountExchangeAccounts.exchangeAccount })
        .from(accountExchangeAccounts)
        .where(
          and(
            eq(accountExchangeAccounts.accountId, account.id),
            eq(accountExchangeAccounts.sandbox, where.sandbox),
            inArray(accountExchangeAccounts.apiBaseUrl, recordedSpellings(account.exchange, where)),
          ),
        )
        .orderBy(asc(accountExchangeAccounts.learntAt))
        .get()?.exchangeAccount ?? null
    )
  }

  /** Records the exchange account learnt in that environment, unless one is recorded there already. */
  private recordAccount(db: Pick<Db, 'insert' | 'select'>, account: AccountRef, where: Environment, exchangeAccount: string, at: number): void {
    if (this.recordedAccount(db, account, where) !== null) return
    db.insert(accountExchangeAccounts)
      .values({ accountId: account.id, sandbox: where.sandbox, apiBaseUrl: recordedSpellings(account.exchange, where)[0], exchangeAccount, learntAt: at })
      .onConflictDoNothing()
      .run()
  }

  /**
   * The key of the rate hold the account shares with every connection to its exchange's host where that
   * exchange counts limits per IP (venues/ip-rate-limits.ts); undefined otherwise, or for no such account.
   */
  ipHoldKey(id: string): string | undefined {
    if (this.stopped) return undefined // its database may be closed already
    const row = this.db
      .select({ exchange: accounts.exchange, sandbox: accounts.sandbox, apiBaseUrl: accounts.apiBaseUrl })
      .from(accounts)
      .where(eq(accounts.id, id))
      .get()
    return row && isExchangeId(row.exchange) ? ipHoldKey({ exchange: row.exchange, sandbox: row.sandbox, apiBaseUrl: row.apiBaseUrl }) : undefined
  }

  /**
   * The hold a connection to this host keeps where the exchange counts limits per IP (a key's test, before it is
   * the account's: it reaches the same host, so it must not send into that host's Retry-After window, and a 429
   * answering it holds the host); nothing where limits are per key.
   */
  private hostHold(host: HostOf): Pick<CcxtAccountConfig, 'hold' | 'holdAll'> {
    const key = ipHoldKey(host)
    if (key === undefined) return {}
    return {
      ...(this.requestHold ? { hold: this.requestHold(key) } : {}),
      ...(this.holdAll ? { holdAll: (ms: number, said?: string) => this.holdAll!(key, ms, said) } : {}),
    }
  }

  /** Whether the exchange names the account behind a key (Kraken cannot). */
  private identityKnown(row: AccountRow): boolean {
    return isExchangeId(row.exchange) && exchangeSpecs[row.exchange].accountIdentity !== null
  }

  /**
   * Which sealing of the account's key is stored: its IV, new at every seal (a sealing time can repeat within a
   * millisecond). Tells whether the key a venue opened is still the account's key.
   */
  private sealedVersion(id: string, db: Pick<Db, 'select'> = this.db): string | undefined {
    return db.select({ iv: accountSecrets.iv }).from(accountSecrets).where(eq(accountSecrets.accountId, id)).get()?.iv.toString('hex')
  }

  /** How many stored credentials a key of this mode has sealed (the secrets module asks). */
  sealedCount(mode: KeyMode): number {
    const row = this.db.select({ n: count() }).from(accountSecrets).where(eq(accountSecrets.keyMode, mode)).get()
    return row?.n ?? 0
  }

  /**
   * The master key that sealed these credentials is lost (secrets.resetMasterKey): deletes them. The
   * accounts stay, without credentials (keyMode null) until new ones are entered. Runs in the reset's transaction.
   */
  private forgetSealed(mode: KeyMode): number {
    const ids = this.db.select({ id: accountSecrets.accountId }).from(accountSecrets).where(eq(accountSecrets.keyMode, mode)).all().map((r) => r.id)
    for (const id of ids) {
      this.db.delete(accountSecrets).where(eq(accountSecrets.accountId, id)).run()
      this.db.update(accounts).set({ ...clearedTest, updatedAt: this.now() }).where(eq(accounts.id, id)).run()
    }
    // After the transaction: each window shows the account as needing credentials.
    setImmediate(() => {
      if (this.stopped) return // the engine stopped meanwhile: its database is closed
      for (const id of ids) {
        const row = this.db.select().from(accounts).where(eq(accounts.id, id)).get()
        if (row) this.bus.emit('accountsChanged', { change: 'updated', id, account: this.view(row), reconnects: true })
      }
    })
    return ids.length
  }

  async stop(): Promise<void> {
    this.stopped = true
    await Promise.all([...this.openVenues].map((v) => v.close().catch(() => undefined)))
  }

  private async venueFor(row: AccountRow): Promise<AccountVenue> {
    const credentials = await this.openCredentials(row.id)
    return this.createVenue({
      accountId: row.id,
      exchange: this.exchangeOf(row),
      sandbox: row.sandbox,
      apiBaseUrl: row.apiBaseUrl,
      credentials,
      ...(this.requestHold ? { hold: this.requestHold(row.id) } : {}),
      ...(this.holdAll ? { holdAll: (ms: number, said?: string) => this.holdAll!(row.id, ms, said) } : {}),
    })
  }

  private async openCredentials(id: string): Promise<CcxtCredentials> {
    const sealed = this.db.select().from(accountSecrets).where(eq(accountSecrets.accountId, id)).get()
    if (!sealed) throw new AppError('NOT_FOUND', 'This account has no stored credentials; enter them again')
    const text = await this.secrets.open({ ciphertext: sealed.ciphertext, iv: sealed.iv, tag: sealed.authTag }, sealed.keyMode, id)
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      value = undefined
    }
    const parsed = openedCredentialsSchema.safeParse(value)
    if (!parsed.success) throw new AppError('UNAVAILABLE', 'The stored credentials are damaged; enter them again')
    return parsed.data
  }

  /**
   * Refuses a name another account or venue has, trimmed and in any case: two "Binance main" would look
   * the same in every venue list and picker. Checked in the write's transaction (the unique index on
   * lower(trim(label)) is the backstop). `self`: the account being renamed (a new case of its own name is fine).
   */
  private assertLabelFree(tx: Pick<Db, 'select'>, label: string, self: string | null): void {
    const key = labelKey(label)
    const taken =
      tx
        .select({ id: accounts.id, label: accounts.label })
        .from(accounts)
        .all()
        .find((a) => a.id !== self && labelKey(a.label) === key)?.label ??
      this.reserved.flatMap((names) => [...names()]).find((name) => labelKey(name) === key)
    if (taken !== undefined) throw new AppError('CONFLICT', `An account named ${JSON.stringify(taken)} already exists; choose another name`)
  }

  /**
   * Refuses to move an account to another environment (sandbox on or off, another API base URL) while
   * orders are open or conditional orders armed on the current one: the new environment does not know
   * them, so the next reconcile would declare them lost while they still rest (and may fill) where they
   * were placed. A new key for the same environment is allowed (keys are rotated).
   */
  private assertSameEnvironment(row: AccountRow, change: { sandbox?: boolean; apiBaseUrl?: string | null }): void {
    const sandboxChanges = change.sandbox !== undefined && change.sandbox !== row.sandbox
    const urlChanges = change.apiBaseUrl !== undefined && change.apiBaseUrl !== row.apiBaseUrl
    if (!sandboxChanges && !urlChanges) return
    const use = this.connectionUse(row.id)
    const parts = [
      use.openOrders > 0 ? (use.openOrders === 1 ? '1 order is open' : `${use.openOrders} orders are open`) : null,
      use.conditionalOrders > 0 ? (use.conditionalOrders === 1 ? '1 conditional order is armed' : `${use.conditionalOrders} conditional orders are armed`) : null,
    ].filter((p): p is string => p !== null)
    if (parts.length === 0) return
    const them = use.openOrders + use.conditionalOrders === 1 ? 'it' : 'them'
    const other = !sandboxChanges ? 'the other environment' : change.sandbox ? 'the test network' : 'the live exchange'
    throw new AppError(
      'CONFLICT',
      `${sandboxChanges ? 'sandbox' : 'apiBaseUrl'}: ${parts.join(' and ')} on this account's current environment: ` +
        `cancel ${them} first, or add ${other} as a separate account (moving would leave ${them} out of the app's reach)`,
    )
  }

  /**
   * The key an account will connect with must belong to the exchange account its history comes from there: another
   * user's key would merge that user's fills, orders and balances into this account's. Each environment has its
   * own (a test network user is another user). Where one is recorded for the environment the edit leaves the account
   * in, the key that will connect there (a new key, or the account's key when it moves back) is tested there, and
   * refused (before anything is sealed or written) when it is another exchange account's, or when whose it is cannot
   * be told. Not checked where nothing is known to compare with: the exchange cannot tell (Kraken), or the account
   * was never tested (or connected) in that environment. `sealed`: which stored key was tested, when not a new one.
   */
  private async checkKey(
    row: AccountRow,
    target: Environment,
    credentials: CredentialsInput | null,
  ): Promise<{ exchangeAccount: string | null; failure: string | null; sealed: string | undefined } | null> {
    if (!credentials && sameEnvironment(row, target)) return null
    const known = this.identityKnown(row) ? this.recordedAccount(this.db, row, target) : null
    if (known === null) return null
    const sealed = credentials ? undefined : this.sealedVersion(row.id)
    // Moving without a new key, and no key stored (its master key was lost): nothing will connect until one is entered, and checked then.
    if (!credentials && sealed === undefined) return null
    const key: CcxtCredentials = credentials
      ? credentials.password
        ? { apiKey: credentials.apiKey, secret: credentials.secret, password: credentials.password }
        : { apiKey: credentials.apiKey, secret: credentials.secret }
      : await this.openCredentials(row.id)
    const exchange = this.exchangeOf(row)
    const venue = await this.createVenue({
      accountId: row.id,
      exchange,
      sandbox: target.sandbox,
      apiBaseUrl: target.apiBaseUrl,
      credentials: key,
      ...this.hostHold({ exchange, ...target }),
    })
    let result: ConnectionTest
    try {
      result = await venue.testConnection()
    } finally {
      await venue.close().catch(() => undefined)
    }
    const checked = {
      exchangeAccount: result.ok ? (result.exchangeAccount ?? null) : null,
      failure: result.ok
        ? `${exchangeSpecs[exchange].name} did not say which account it belongs to${result.exchangeAccountUnknown ? `: ${result.exchangeAccountUnknown}` : ''}`
        : result.message,
      sealed,
    }
    this.assertSameExchangeAccount(row, known, checked.exchangeAccount, checked.failure, credentials === null)
    return checked
  }

  /**
   * Refuses a key of another exchange account than `known`, or one whose account could not be told. `storedKey`:
   * the account's own key, checked because the account moves back to where `known` was recorded.
   */
  private assertSameExchangeAccount(row: AccountRow, known: string, keyAccount: string | null, failure: string | null, storedKey: boolean): void {
    if (keyAccount === known) return
    const spec = exchangeSpecs[this.exchangeOf(row)]
    const kind = spec.accountIdentity === 'portfolio' ? 'portfolio' : 'account'
    const name = (id: string) => (spec.accountIdentity === 'portfolio' ? id : `uid ${id}`)
    const reason = failure ? ` (${failure})` : ''
    if (storedKey) {
      const there = `the ${spec.name} ${kind} (${name(known)}) this account's history comes from where it moves`
      throw new AppError(
        'CONFLICT',
        keyAccount === null
          ? `credentials.apiKey: could not confirm that the account's key belongs to ${there}${reason}; nothing was changed. Try again, or enter that ${kind}'s key with the move`
          : `credentials.apiKey: The account's key belongs to another ${spec.name} ${kind} (${name(keyAccount)}) than ${there}; ` +
              `enter that ${kind}'s key with the move, or add it as a new account. Nothing was changed`,
      )
    }
    if (keyAccount === null) {
      throw new AppError(
        'CONFLICT',
        `credentials.apiKey: could not confirm that the new key belongs to the same ${spec.name} ${kind} (${name(known)}) this account's history comes from` +
          `${reason}; nothing was changed. Try again, or add the key as a new account`,
      )
    }
    throw new AppError(
      'CONFLICT',
      `credentials.apiKey: This key belongs to another ${spec.name} ${kind} (${name(keyAccount)}) than the one this account's history comes from ` +
        `(${name(known)}); add it as a new account. Nothing was changed`,
    )
  }

  private row(id: string): AccountRow {
    const row = this.db.select().from(accounts).where(eq(accounts.id, id)).get()
    if (!row) throw new AppError('NOT_FOUND', `No account with id ${JSON.stringify(id.slice(0, 64))}`)
    return row
  }

  private exchangeOf(row: AccountRow): ExchangeId {
    if (!isExchangeId(row.exchange)) {
      throw new AppError('UNAVAILABLE', `Account ${row.id} is for ${row.exchange}, which this version does not support`)
    }
    return row.exchange
  }

  private view(row: AccountRow): AccountView {
    const exchange = isExchangeId(row.exchange) ? row.exchange : null
    const keyMode = this.db
      .select({ keyMode: accountSecrets.keyMode })
      .from(accountSecrets)
      .where(eq(accountSecrets.accountId, row.id))
      .get()?.keyMode
    return {
      id: row.id,
      exchange: row.exchange,
      exchangeName: exchange ? exchangeSpecs[exchange].name : row.exchange,
      label: row.label,
      sandbox: row.sandbox,
      apiBaseUrl: row.apiBaseUrl,
      keyHint: row.keyHint,
      keyMode: keyMode ?? null,
      canTrade: row.canTrade,
      lastTest:
        row.lastTestAt === null || row.lastTestOk === null
          ? null
          : {
              ok: row.lastTestOk,
              kind: (row.lastTestKind as AccountTestResult['kind']) ?? null,
              message: row.lastTestMessage ?? '',
              canTrade: row.lastTestOk ? row.canTrade : null,
              balanceCount: row.lastTestBalances ?? 0,
              latencyMs: row.lastTestLatencyMs ?? 0,
              at: row.lastTestAt,
            },
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    }
  }
}

const clearedTest = {
  canTrade: null,
  lastTestOk: null,
  lastTestKind: null,
  lastTestMessage: null,
  lastTestLatencyMs: null,
  lastTestBalances: null,
  lastTestAt: null,
}

/** Where the account connects once the edit is saved. */
function environmentAfter(row: AccountRow, change: { sandbox?: boolean; apiBaseUrl?: string | null }): Environment {
  return { sandbox: change.sandbox ?? row.sandbox, apiBaseUrl: change.apiBaseUrl !== undefined ? change.apiBaseUrl : row.apiBaseUrl }
}

/**
 * How an environment's exchange account is recorded (apiBaseUrl '' for the exchange's own API: a key column cannot be
 * null), first the spelling written now. The exchange's live API written out as a base URL (the form's placeholder,
 * e.g. https://api.binance.com) connects where no base URL does: it is the same exchange user, so the same record, or
 * a move there would take another user's key unchecked. Records made before may carry it written out: read too.
 */
function recordedSpellings(exchange: string, where: Environment): [string, ...string[]] {
  const own = isExchangeId(exchange) && !where.sandbox ? exchangeSpecs[exchange].defaultApiOrigin : null
  if (where.apiBaseUrl === null || where.apiBaseUrl === own) return own === null ? [''] : ['', own]
  return [where.apiBaseUrl]
}

/** What makes two names the same: surrounding spaces and case do not count. */
function labelKey(label: string): string {
  return label.trim().toLowerCase()
}

/** "••••1234": the API key's last four characters, the only part of a credential ever shown. */
export function keyHint(apiKey: string): string {
  return `••••${apiKey.slice(-4)}`
}

function serialize(credentials: CredentialsInput): string {
  const { apiKey, secret, password } = credentials
  return JSON.stringify(password ? { apiKey, secret, password } : { apiKey, secret })
}

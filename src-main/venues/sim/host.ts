import { asc, eq, like } from 'drizzle-orm'
import type { Db } from '../../store/open'
import type { Logger } from '../../log'
import { simState } from './tables'
import { defaultSimMarkets } from './markets'
import { createMatchingEngine, type SimEngineState, type SimMatchingEngine } from './matching/engine'
import type { SimEvent } from './engine-api'
import { createSimMarketRuntime, VirtualClock, type SimMarketRuntime, type SimTraderCounts } from './flow'
import { SimVenue } from './sim-venue'
import type { DecimalString } from '../port'

export const PAPER_ACCOUNT = 'paper'
export const DEFAULT_PAPER_BALANCE = '10000'
const STATE_ID = 'default'
/**
 * The paper account's journal: one row per engine call that changed it (its order, fill and balance
 * events), written before anyone hears of the call and cleared by the save that covers it. After a crash
 * the account is its last save plus these rows, so it never goes back behind what the app recorded.
 */
const JOURNAL_PREFIX = `${STATE_ID}/journal/`
const SAVE_EVERY_MS = 30_000
/**
 * Ids skipped after a state saved while running (the app did not stop cleanly): orders and trades made
 * after that save were recorded by the app (orders, fills, the ledger, copy trading) under ids the saved
 * counters would hand out again — and the newer ones would be dropped as duplicates. The whole simulated
 * market makes a few thousand ids between two saves; a million leaves a wide margin.
 */
const ID_GAP_AFTER_CRASH = 1_000_000

/**
 * The saved row: the engine's state, whether it was written at a clean stop (its counters are final), and
 * the simulated traders' counts (the runtime's, not the engine's).
 */
type SavedState = SimEngineState & { stoppedCleanly?: boolean; traderCounts?: Record<string, SimTraderCounts> }

export interface SimHostOptions {
  db: Db
  log: Logger
  /** 'realtime' animates the market on the wall clock; 'manual' waits for advance() (tests). */
  mode: 'realtime' | 'manual'
  seed?: number
  /** Save the state to SQLite (periodically and at stop). */
  persist: boolean
  /** Synthetic history for the span the market has no candles for (a first start, the time the app was closed); default true. */
  history?: boolean
  now?: () => number
}

/**
 * The embedded default venue: the matching engine, its synthetic market and simulated traders, and the
 * user's paper account, restored from SQLite at start and saved periodically and at stop (the paper account
 * also journaled call by call in between). Only the
 * paper account's and simulated traders' history is kept: the flow's own accounts are re-made each start.
 */
export class SimHost {
  readonly engine: SimMatchingEngine
  readonly runtime: SimMarketRuntime
  readonly paper: SimVenue
  readonly paperAccount = PAPER_ACCOUNT
  private timer: ReturnType<typeof setInterval> | undefined
  private journalSeq = 0

  constructor(private readonly options: SimHostOptions) {
    const loaded = this.load()
    const saved = loaded?.state
    const journal = this.loadJournal()
    const clock = new VirtualClock((options.now ?? Date.now)())
    const make = (withJournal: boolean) =>
      createMatchingEngine(defaultSimMarkets, {
        now: () => clock.now(),
        ...(saved ? { state: saved } : {}),
        ...(withJournal ? { journal } : {}),
        ...(options.persist ? { onCommit: (events: readonly SimEvent[]) => this.journal(events) } : {}),
        onListenerError: (err, type) => options.log.error(`sim listener for ${type} failed`, err),
      })
    let engine: SimMatchingEngine
    try {
      engine = make(true)
    } catch (err) {
      // A journal that does not fit its save must not keep the app from starting: the last save stands.
      if (journal.length === 0) throw err
      options.log.error('the paper account journal could not be applied; the paper account is as at the last save', err)
      engine = make(false)
    }
    this.engine = engine
    if (!this.engine.hasAccount(PAPER_ACCOUNT)) this.engine.deposit(PAPER_ACCOUNT, 'USDT', DEFAULT_PAPER_BALANCE)
    // Logged so that a session's synthetic market can be replayed with the same seed.
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31)
    options.log.info(`simulated exchange seed ${seed}${saved ? ' (restored state)' : ''}`)
    this.runtime = createSimMarketRuntime({
      engine: this.engine,
      clock,
      seed,
      logger: options.log,
      history: options.history ?? true,
      ...(loaded?.traderCounts ? { traderCounts: loaded.traderCounts } : {}),
    })
    this.paper = new SimVenue(this.engine, PAPER_ACCOUNT, { id: 'sim' })
  }

  start(): void {
    if (this.options.mode === 'realtime') this.runtime.start()
    if (!this.options.persist) return
    this.timer = setInterval(() => this.save(), SAVE_EVERY_MS)
    this.timer.unref?.()
  }

  /** Sets the paper account to exactly `amount` USDT (open orders cancelled). */
  resetPaper(amount: DecimalString): void {
    this.engine.resetAccount(PAPER_ACCOUNT, { USDT: amount })
    this.save()
  }

  save(stoppedCleanly = false): void {
    if (!this.options.persist) return
    const state: SavedState = { ...keepUserHistory(this.engine.snapshot()), stoppedCleanly, traderCounts: this.runtime.traderCounts() }
    const json = JSON.stringify(state)
    // The snapshot covers every journal row written so far: both change in one transaction.
    this.options.db.transaction((tx) => {
      tx.insert(simState)
        .values({ id: STATE_ID, state: json, savedAt: state.savedAt })
        .onConflictDoUpdate({ target: simState.id, set: { state: json, savedAt: state.savedAt } })
        .run()
      tx.delete(simState).where(like(simState.id, `${JOURNAL_PREFIX}%`)).run()
    })
  }

  /** Journals one engine call's paper-account events (see JOURNAL_PREFIX). */
  private journal(events: readonly SimEvent[]): void {
    const mine = events.filter((e) => (e.type === 'order' || e.type === 'fill' || e.type === 'balance') && e.accountId === PAPER_ACCOUNT)
    if (mine.length === 0) return
    const id = `${JOURNAL_PREFIX}${String(++this.journalSeq).padStart(12, '0')}`
    try {
      this.options.db.insert(simState).values({ id, state: JSON.stringify(mine), savedAt: this.engine.now() }).run()
    } catch (err) {
      this.options.log.error('could not journal the paper account (it is saved again within 30 s)', err)
    }
  }

  private loadJournal(): SimEvent[] {
    if (!this.options.persist) return []
    const rows = this.options.db.select().from(simState).where(like(simState.id, `${JOURNAL_PREFIX}%`)).orderBy(asc(simState.id)).all()
    const events: SimEvent[] = []
    for (const row of rows) {
      try {
        events.push(...(JSON.parse(row.state) as SimEvent[]))
      } catch (err) {
        this.options.log.error(`paper account journal row ${row.id} is unreadable; the rows after it are not applied`, err)
        break
      }
      this.journalSeq = Math.max(this.journalSeq, Number(row.id.slice(JOURNAL_PREFIX.length)) || 0)
    }
    return events
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.runtime.stop()
    try {
      this.save(true)
    } catch (err) {
      this.options.log.error('could not save the simulated exchange', err)
    }
    await this.paper.close()
  }

  private load(): { state: SimEngineState; traderCounts?: Record<string, SimTraderCounts> } | undefined {
    const row = this.options.db.select().from(simState).where(eq(simState.id, STATE_ID)).get()
    if (!row) return undefined
    let saved: SavedState
    try {
      saved = JSON.parse(row.state) as SavedState
    } catch (err) {
      // A damaged row must not keep the app from starting; the paper balance starts over and says so.
      this.options.log.error('saved simulated exchange state is unreadable; starting fresh', err)
      return undefined
    }
    const { stoppedCleanly, traderCounts, ...state } = saved
    const counts = traderCounts ? { traderCounts } : {}
    if (stoppedCleanly === true) return { state, ...counts }
    // Saved while running (a crash, a kill): ids handed out since then must not be handed out again.
    this.options.log.warn('the simulated exchange did not stop cleanly: the market goes on from its last save (the paper account from its journal), and order and trade ids skip ahead')
    const c = state.counters
    return {
      state: { ...state, counters: { ...c, nextOrderId: c.nextOrderId + ID_GAP_AFTER_CRASH, nextTradeId: c.nextTradeId + ID_GAP_AFTER_CRASH } },
      ...counts,
    }
  }
}

/** The user's paper account and the simulated traders keep their history; flow accounts keep only money. */
function keepUserHistory(state: SimEngineState): SimEngineState {
  return {
    ...state,
    accounts: state.accounts.map((a) =>
      a.accountId === PAPER_ACCOUNT || a.accountId.startsWith('trader:') ? a : { ...a, recentOrders: [], fills: [] },
    ),
  }
}

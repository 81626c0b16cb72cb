import { create } from 'zustand'
import { api } from '../../api'
import { onReconnect } from '../connection/connection'
import { useVenues } from '../markets/venuesStore'
import { useScoped } from './scopedStore'
import { applyConditional, applyConditionalLive, applyFill, applyOrder, FILLS_CAP, HISTORY_CAP } from './ordersModel'
import type { ConditionalLiveFigure, ConditionalView, FillView, OrderView, RiskView } from '../../../src-main/api/contract'

export type { ConditionalView, FillView, OrderView, RiskView }

// Orders, fills, conditional orders and the risk state, as the engine reports them: listed once, then
// followed on the orders.changed / fills.recorded / conditional.changed + conditional.live / risk.changed
// streams (and listed again after a reconnect). Nothing here is computed: the rows are the engine's.

export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err))

type Event =
  | { kind: 'order'; order: OrderView }
  | { kind: 'fill'; fill: FillView }
  | { kind: 'conditional'; view: ConditionalView }
  | { kind: 'live'; figures: ConditionalLiveFigure[] }
  | { kind: 'risk'; risk: RiskView }

/** Loads in flight, each collecting the events that arrive meanwhile. */
const buffers = new Set<Event[]>()
const remember = (event: Event) => buffers.forEach((b) => b.push(event))

interface OrdersState {
  status: 'loading' | 'ready' | 'error'
  error: string | null
  open: OrderView[]
  history: OrderView[]
  fills: FillView[]
  conditional: ConditionalView[]
  conditionalEnded: ConditionalView[]
  risk: RiskView | null
  /** Whether risk was read with risk.get (the engine's limits now, taken even when older: a backup restored). */
  riskLoaded: boolean
  /** The venue the tables show ('' = every account). Screen state. */
  venueFilter: string
  load(): Promise<void>
  orderChanged(order: OrderView): void
  fillRecorded(fill: FillView): void
  conditionalChanged(view: ConditionalView): void
  conditionalLive(batch: { figures: ConditionalLiveFigure[] }): void
  riskChanged(risk: RiskView): void
  /** Limits read with risk.get: shown whatever their version. */
  riskRead(risk: RiskView): void
  setVenueFilter(venueId: string): void
}

export const useOrders = create<OrdersState>()((set) => ({
  status: 'loading',
  error: null,
  open: [],
  history: [],
  fills: [],
  conditional: [],
  conditionalEnded: [],
  risk: null,
  riskLoaded: false,
  venueFilter: '',
  async load() {
    // Events that arrive while the lists are on their way are newer than the lists: kept and applied after.
    const early: Event[] = []
    buffers.add(early)
    try {
      const [open, history, fills, conditional, conditionalEnded, risk] = await Promise.all([
        api.invoke('orders.list', { scope: 'open', limit: 1000 }),
        api.invoke('orders.list', { scope: 'history', limit: HISTORY_CAP }),
        api.invoke('fills.list', { limit: FILLS_CAP }),
        api.invoke('conditional.list', { scope: 'active', limit: 1000 }),
        api.invoke('conditional.list', { scope: 'history', limit: HISTORY_CAP }),
        api.invoke('risk.get', {}),
      ])
      let orders = { open, history }
      let conds = { active: conditional, ended: conditionalEnded }
      let allFills = fills
      let latestRisk = risk
      let riskLoaded = true
      for (const e of early) {
        if (e.kind === 'order') orders = applyOrder(orders, e.order)
        else if (e.kind === 'fill') allFills = applyFill(allFills, e.fill)
        else if (e.kind === 'conditional') conds = applyConditional(conds, e.view)
        else if (e.kind === 'live') conds = { active: applyConditionalLive(conds.active, e.figures), ended: conds.ended }
        else if (e.risk.version >= latestRisk.version) [latestRisk, riskLoaded] = [e.risk, false]
      }
      set({
        status: 'ready',
        error: null,
        open: orders.open,
        history: orders.history,
        fills: allFills,
        conditional: conds.active,
        conditionalEnded: conds.ended,
        risk: latestRisk,
        riskLoaded,
      })
    } catch (err) {
      set((s) => ({ status: s.status === 'ready' ? s.status : 'error', error: messageOf(err) }))
    } finally {
      buffers.delete(early)
    }
  },
  orderChanged(order) {
    remember({ kind: 'order', order })
    set((s) => applyOrder(s, order))
    useScoped.getState().orderChanged(order)
  },
  fillRecorded(fill) {
    remember({ kind: 'fill', fill })
    set((s) => ({ fills: applyFill(s.fills, fill) }))
    useScoped.getState().fillRecorded(fill)
  },
  conditionalChanged(view) {
    remember({ kind: 'conditional', view })
    set((s) => {
      const next = applyConditional({ active: s.conditional, ended: s.conditionalEnded }, view)
      return { conditional: next.active, conditionalEnded: next.ended }
    })
  },
  conditionalLive({ figures }) {
    remember({ kind: 'live', figures })
    set((s) => {
      const active = applyConditionalLive(s.conditional, figures)
      return active === s.conditional ? {} : { conditional: active }
    })
  },
  riskChanged(risk) {
    remember({ kind: 'risk', risk })
    // A view of older limits (a save's reply overtaken by another window's newer save) is not gone back to.
    set((s) => (s.risk !== null && risk.version < s.risk.version ? {} : { risk, riskLoaded: false }))
  },
  riskRead(risk) {
    remember({ kind: 'risk', risk })
    set({ risk, riskLoaded: true })
  },
  setVenueFilter(venueFilter) {
    set({ venueFilter })
  },
}))

// The account the tables are filtered on closed (here or in another window): the dropdown can no longer show
// it, so the tables show every account again rather than stay on one the dropdown does not name.
useVenues.subscribe((venues) => {
  const filter = useOrders.getState().venueFilter
  if (filter === '' || venues.status !== 'ready' || venues.venues.some((v) => v.id === filter)) return
  useOrders.getState().setVenueFilter('')
})

let users = 0
let stop: (() => void) | undefined

/** Whether the lists follow the streams now (else they may be old: ask again before acting on them). */
export const ordersFollowed = (): boolean => users > 0

/** Follows orders, fills, conditional orders and risk while at least one view shows them; returns the caller's stop. */
export function startOrdersSync(): () => void {
  if (users++ === 0) {
    const s = useOrders.getState()
    const refused = (what: string) => (err: Error) => useOrders.setState({ error: `${what} stream refused: ${err.message}` })
    const offs = [
      api.subscribe('orders.changed', {}, s.orderChanged, refused('orders')),
      api.subscribe('fills.recorded', {}, s.fillRecorded, refused('fills')),
      api.subscribe('conditional.changed', {}, s.conditionalChanged, refused('conditional orders')),
      api.subscribe('conditional.live', {}, s.conditionalLive, refused('conditional live figures')),
      api.subscribe('risk.changed', {}, s.riskChanged, refused('risk')),
      onReconnect(() => {
        void useOrders.getState().load()
        void useScoped.getState().reloadAll()
      }),
    ]
    void s.load()
    // The account's / market's lists kept from an earlier visit missed what happened while nothing followed.
    void useScoped.getState().reloadAll()
    stop = () => offs.forEach((off) => off())
  }
  return () => {
    if (--users === 0) {
      stop?.()
      stop = undefined
    }
  }
}

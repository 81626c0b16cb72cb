import type { EventBus } from '../bus'
import type { Logger } from '../log'
import type { AccountRemovalImpact } from '../api/contract'
import { AppError, messageOf } from '../api/errors'
import type { FollowView } from '../api/schemas/copy'

// What removing an exchange account stops, asked before (accounts.removalImpact, the removal dialog's
// list) and done after (on accountsChanged 'removed'): copy relationships it leads or follows in end, its
// armed in-app conditional orders, its price alerts and the risk alerts watching it are canceled, each
// with one reason naming the account. Each module ends its own rows. Orders open on the exchange (native stops included) stay there,
// and the app cannot reach them without the key: they leave the open orders for history as 'left on the
// exchange' (not canceled: they may still fill there), which the dialog says.
// A paper account closed, or trading on an exchange account that was removed, can never trade again: what
// works through it ends the same way (its paper orders are the paper module's: canceled on close, kept
// otherwise). Ones an earlier version left running end at start.

/** The modules that work through an account, as far as its removal concerns them. */
export interface RemovalParts {
  accounts: { list(): readonly { id: string; label: string }[]; formerLabel(id: string): string | undefined }
  copy: { followsOn(venueId: string): FollowView[]; venueRemoved(venueId: string, reason: string): number }
  conditional: { armedOn(venueId: string): number; venueRemoved(venueId: string, reason: string): number }
  alerts: { activeOn(venueId: string): number; venueRemoved(venueId: string, reason: string): number }
  riskAlerts: { activeOn(account: string): number; venueRemoved(account: string, reason: string): number }
  orders: { open(filter: { venueId?: string }): readonly { venueId: string }[]; venueRemoved(venueId: string, reason: string): number }
  paper: {
    /** Open paper accounts trading on this exchange account. */
    papersOn(accountId: string): readonly { id: string; label: string }[]
    /** Paper accounts that can never trade again: closed, or on a removed account (`source`). */
    papersGone(): readonly { id: string; label: string; closed: boolean; source: string | null }[]
  }
}

export function removedReason(label: string): string {
  return `the account "${label}" was removed`
}

export function paperClosedReason(label: string): string {
  return `the paper account "${label}" was closed`
}

export function paperSourceRemovedReason(accountLabel: string, paperLabel: string): string {
  return `the account "${accountLabel}" the paper account "${paperLabel}" traded on was removed`
}

export interface AccountRemoval {
  impact(id: string): AccountRemovalImpact
  stop(): void
}

export function startAccountRemoval(deps: { bus: EventBus; log: Logger; parts: RemovalParts }): AccountRemoval {
  const { parts, log } = deps
  // One module failing must not keep the others from ending what they hold.
  const each = (account: string, ended: string[], what: string, end: () => number) => {
    try {
      const n = end()
      if (n > 0) ended.push(`${n} ${what}`)
    } catch (err) {
      log.error(`account removal: could not end its ${what}`, { account, error: messageOf(err) })
    }
  }
  // An account removed by an earlier version left its orders listed as open, for good: left now, at start.
  const listed = new Set(parts.accounts.list().map((a) => a.id))
  for (const venueId of new Set(parts.orders.open({}).map((o) => o.venueId))) {
    const label = listed.has(venueId) ? undefined : parts.accounts.formerLabel(venueId)
    if (label === undefined) continue
    const ended: string[] = []
    each(venueId, ended, 'open orders (left on the exchange)', () => parts.orders.venueRemoved(venueId, removedReason(label)))
    if (ended.length > 0) log.info(`${removedReason(label)} earlier: ${ended.join(', ')}`)
  }
  /** Ends what works through `venueId`, each with `reason`; its orders too when `orders` (an exchange account). */
  const endThrough = (venueId: string, reason: string, orders: boolean) => {
    const ended: string[] = []
    const end = (what: string, fn: () => number) => each(venueId, ended, what, fn)
    end('copy relationships', () => parts.copy.venueRemoved(venueId, reason))
    end('conditional orders', () => parts.conditional.venueRemoved(venueId, reason))
    end('price alerts', () => parts.alerts.venueRemoved(venueId, reason))
    end('risk alerts', () => parts.riskAlerts.venueRemoved(venueId, reason))
    // After the conditional orders: a triggered OCO leg whose order ends here must find its partner ended
    // already, not re-arm it on the removed account.
    if (orders) end('open orders (left on the exchange)', () => parts.orders.venueRemoved(venueId, reason))
    if (ended.length > 0) log.info(`${reason}: ended ${ended.join(', ')}`)
  }
  const offs = [
    deps.bus.on('accountsChanged', (e) => {
      if (e.change !== 'removed') return
      const label = parts.accounts.formerLabel(e.id) ?? e.id
      endThrough(e.id, removedReason(label), true)
      for (const paper of parts.paper.papersOn(e.id)) endThrough(paper.id, paperSourceRemovedReason(label, paper.label), false)
    }),
    deps.bus.on('paperAccountClosed', (e) => endThrough(e.venueId, paperClosedReason(e.label), false)),
    // After every module armed what it keeps (an earlier version left them armed on a paper account that is gone).
    deps.bus.on('engineStarted', () => {
      for (const p of parts.paper.papersGone()) {
        endThrough(p.id, p.closed ? paperClosedReason(p.label) : paperSourceRemovedReason(parts.accounts.formerLabel(p.source ?? '') ?? p.source ?? '', p.label), false)
      }
    }),
  ]
  /** What removing `id` would end on it (without its orders: those count on the account alone). */
  const countOn = (id: string) => ({
    copies: parts.copy.followsOn(id).map((f) => ({ f, role: f.settings.leaderId === id ? ('leader' as const) : ('follower' as const) })),
    conditionalOrders: parts.conditional.armedOn(id),
    alerts: parts.alerts.activeOn(id),
    riskAlerts: parts.riskAlerts.activeOn(id),
  })
  return {
    impact(id) {
      const account = parts.accounts.list().find((a) => a.id === id)
      if (account === undefined) throw new AppError('NOT_FOUND', `No account with id ${JSON.stringify(id.slice(0, 64))}`)
      // The paper accounts trading on it stop for good: what works through them ends too.
      const counts = [countOn(id), ...parts.paper.papersOn(id).map((p) => countOn(p.id))]
      const sum = (f: (c: ReturnType<typeof countOn>) => number) => counts.reduce((n, c) => n + f(c), 0)
      return {
        accountId: id,
        label: account.label,
        // (One between the account and a paper account on it is listed once.)
        copyRelationships: [...new Map(counts.flatMap((c) => c.copies).map(({ f, role }) => [f.id, { id: f.id, role, leaderLabel: f.leaderLabel, followerLabel: f.followerLabel }])).values()],
        conditionalOrders: sum((c) => c.conditionalOrders),
        alerts: sum((c) => c.alerts),
        riskAlerts: sum((c) => c.riskAlerts),
        openOrders: parts.orders.open({ venueId: id }).length,
      }
    },
    stop: () => offs.forEach((off) => off()),
  }
}

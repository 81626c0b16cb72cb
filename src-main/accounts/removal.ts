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

/** The modules that work through an account, as far as its removal concerns them. */
export interface RemovalParts {
  accounts: { list(): readonly { id: string; label: string }[]; formerLabel(id: string): string | undefined }
  copy: { followsOn(venueId: string): FollowView[]; venueRemoved(venueId: string, reason: string): number }
  conditional: { armedOn(venueId: string): number; venueRemoved(venueId: string, reason: string): number }
  alerts: { activeOn(venueId: string): number; venueRemoved(venueId: string, reason: string): number }
  riskAlerts: { activeOn(account: string): number; venueRemoved(account: string, reason: string): number }
  orders: { open(filter: { venueId?: string }): readonly { venueId: string }[]; venueRemoved(venueId: string, reason: string): number }
}

export function removedReason(label: string): string {
  return `the account "${label}" was removed`
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
  const off = deps.bus.on('accountsChanged', (e) => {
    if (e.change !== 'removed') return
    const reason = removedReason(parts.accounts.formerLabel(e.id) ?? e.id)
    const ended: string[] = []
    const end = (what: string, fn: () => number) => each(e.id, ended, what, fn)
    end('copy relationships', () => parts.copy.venueRemoved(e.id, reason))
    end('conditional orders', () => parts.conditional.venueRemoved(e.id, reason))
    end('price alerts', () => parts.alerts.venueRemoved(e.id, reason))
    end('risk alerts', () => parts.riskAlerts.venueRemoved(e.id, reason))
    // After the conditional orders: a triggered OCO leg whose order ends here must find its partner ended
    // already, not re-arm it on the removed account.
    end('open orders (left on the exchange)', () => parts.orders.venueRemoved(e.id, reason))
    if (ended.length > 0) log.info(`${reason}: ended ${ended.join(', ')}`)
  })
  return {
    impact(id) {
      const account = parts.accounts.list().find((a) => a.id === id)
      if (account === undefined) throw new AppError('NOT_FOUND', `No account with id ${JSON.stringify(id.slice(0, 64))}`)
      return {
        accountId: id,
        label: account.label,
        copyRelationships: parts.copy.followsOn(id).map((f) => ({
          id: f.id,
          role: f.settings.leaderId === id ? ('leader' as const) : ('follower' as const),
          leaderLabel: f.leaderLabel,
          followerLabel: f.followerLabel,
        })),
        conditionalOrders: parts.conditional.armedOn(id),
        alerts: parts.alerts.activeOn(id),
        riskAlerts: parts.riskAlerts.activeOn(id),
        openOrders: parts.orders.open({ venueId: id }).length,
      }
    },
    stop: off,
  }
}

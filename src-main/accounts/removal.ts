import type { EventBus } from '../bus'
import type { Logger } from '../log'
import type { AccountRemovalImpact } from '../api/contract'
import { AppError, messageOf } from '../api/errors'
import type { FollowView } from '../api/schemas/copy'

// What removing an exchange account stops, asked before (accounts.removalImpact, the removal dialog's
// list) and done after (on accountsChanged 'removed'): copy relationships it leads or follows in end, its
// armed in-app conditional orders and its price alerts are canceled, each with one reason naming the
// account. Each module ends its own rows; orders open on the exchange stay there (the app cannot reach
// them without the key), which the dialog says.

/** The modules that work through an account, as far as its removal concerns them. */
export interface RemovalParts {
  accounts: { list(): readonly { id: string; label: string }[]; formerLabel(id: string): string | undefined }
  copy: { followsOn(venueId: string): FollowView[]; venueRemoved(venueId: string, reason: string): number }
  conditional: { armedOn(venueId: string): number; venueRemoved(venueId: string, reason: string): number }
  alerts: { activeOn(venueId: string): number; venueRemoved(venueId: string, reason: string): number }
  orders: { open(filter: { venueId?: string }): readonly unknown[] }
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
  const off = deps.bus.on('accountsChanged', (e) => {
    if (e.change !== 'removed') return
    const reason = removedReason(parts.accounts.formerLabel(e.id) ?? e.id)
    const ended: string[] = []
    // One module failing must not keep the others from ending what they hold.
    const each = (what: string, end: () => number) => {
      try {
        const n = end()
        if (n > 0) ended.push(`${n} ${what}`)
      } catch (err) {
        log.error(`account removal: could not end its ${what}`, { account: e.id, error: messageOf(err) })
      }
    }
    each('copy relationships', () => parts.copy.venueRemoved(e.id, reason))
    each('conditional orders', () => parts.conditional.venueRemoved(e.id, reason))
    each('price alerts', () => parts.alerts.venueRemoved(e.id, reason))
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
        openOrders: parts.orders.open({ venueId: id }).length,
      }
    },
    stop: off,
  }
}

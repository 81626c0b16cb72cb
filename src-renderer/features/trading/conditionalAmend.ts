import type { ConditionalView } from '../../../src-main/api/contract'
import { amendInput, type AmendDraft } from './tableNav'
import { isActiveConditional } from './labels'

// The conditional table's inline amend (Enter or E on a row): the orders tables' editor (tableNav), with its
// two fields standing for the trigger price ('price') and a limit kind's limit price ('amount'); on a
// trailing stop 'price' is its distance (in its unit). Pure.

/** The editor's starting row for a conditional order, or null when it cannot be amended here. */
export function conditionalDraftRow(view: ConditionalView): { id: string; price: string | null; amount: string } | null {
  const armable = isActiveConditional(view.status) && view.status !== 'triggered'
  if (!armable || view.placement === 'exchange') return null
  if (view.trailing !== null) return { id: view.id, price: view.trailing.value, amount: '' }
  if (view.triggerPrice === null) return null
  return { id: view.id, price: view.triggerPrice, amount: view.limitPrice ?? '' }
}

/** conditional.amend input from the draft: only what changed; null when nothing did. */
export function conditionalAmendInput(edit: AmendDraft, trailing: boolean): { id: string; triggerPrice?: string; limitPrice?: string; trailingValue?: string } | null {
  const a = amendInput(edit)
  if (a === null) return null
  const out: { id: string; triggerPrice?: string; limitPrice?: string; trailingValue?: string } = { id: a.clientOrderId }
  if (a.price !== undefined && trailing) return { id: a.clientOrderId, trailingValue: a.price }
  if (a.price !== undefined) out.triggerPrice = a.price
  if (a.amount !== undefined && edit.original.amount !== '') out.limitPrice = a.amount
  return out.triggerPrice === undefined && out.limitPrice === undefined ? null : out
}

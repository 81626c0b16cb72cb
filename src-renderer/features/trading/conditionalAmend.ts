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

type Terms = { triggerPrice?: string; limitPrice?: string; trailingValue?: string }
export type ConditionalAmendInput = { id: string } & Terms & { expected: Terms }

/**
 * conditional.amend input from the draft, or null when nothing changed. A limit kind sends both prices (the
 * one not edited as the editor showed it), and every input carries the terms the editor was opened on: if
 * another window amended the order meanwhile the engine refuses, rather than mixing its terms with ours.
 */
export function conditionalAmendInput(edit: AmendDraft, trailing: boolean): ConditionalAmendInput | null {
  const a = amendInput(edit)
  if (a === null) return null
  const { price, amount } = edit.original
  if (trailing) return a.price === undefined || price === null ? null : { id: a.clientOrderId, trailingValue: a.price, expected: { trailingValue: price } }
  const limitKind = amount !== ''
  if (a.price === undefined && (a.amount === undefined || !limitKind)) return null
  if (price === null) return null
  const triggerPrice = a.price ?? price
  if (!limitKind) return { id: a.clientOrderId, triggerPrice, expected: { triggerPrice: price } }
  return { id: a.clientOrderId, triggerPrice, limitPrice: a.amount ?? amount, expected: { triggerPrice: price, limitPrice: amount } }
}

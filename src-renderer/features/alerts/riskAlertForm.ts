import type { RiskAlertCreateInput, RiskMetric } from '../../../src-main/api/contract'
import type { ReportingCurrency } from '../../../src-main/api/schemas/portfolio'
import { riskCondition } from './riskModel'
import { cleanNumber } from '../trading/ticketForm'

// The new-risk-alert form's draft and the alerts.riskCreate command it becomes. Pure (no DOM), tested in Node.

export interface RiskAlertDraft {
  metric: RiskMetric
  account: string
  currency: ReportingCurrency | ''
  condition: 'above' | 'below'
  threshold: string
  note: string
  desktop: boolean
  email: boolean
  repeat: boolean
  webhookUrl: string
}

export const emptyRiskDraft: RiskAlertDraft = { metric: 'value', account: '', currency: '', condition: 'below', threshold: '', note: '', desktop: true, email: false, repeat: false, webhookUrl: '' }

/** The command for a draft; email only when the email channel is set up. The engine validates. */
export function riskCreateInput(draft: RiskAlertDraft, emailReady: boolean): RiskAlertCreateInput {
  const url = draft.webhookUrl.trim()
  return {
    metric: draft.metric,
    account: draft.account === '' ? null : draft.account,
    ...(draft.currency === '' ? {} : { currency: draft.currency }),
    condition: riskCondition(draft.metric, draft.condition),
    // Only separators that group thousands go: a drawdown of '2,5' is refused by the engine, never 25 %.
    threshold: cleanNumber(draft.threshold),
    ...(draft.note.trim() ? { note: draft.note } : {}),
    desktop: draft.desktop,
    email: draft.email && emailReady,
    repeat: draft.repeat,
    webhookUrl: url === '' ? null : url,
  }
}

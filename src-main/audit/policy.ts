import type { CommandName } from '../api/names'
import { describeRateChanges, type RateChanges } from '../portfolio/rate-changes'
import { endedBeforeCancel } from '../trading/orders/ended-before-cancel'
import type { OrderRecord } from '../trading/model'

// Which commands the audit log records, and what of their input it keeps. Every command is classed here
// (the type makes a new command choose): 'read' commands change nothing and are not recorded; 'record'
// commands are, with the fields below. workspace.save is 'quiet': a layout is saved on every drag.

type Policy = 'read' | 'quiet' | 'record'

export const auditPolicy = {
  'app.info': 'read',
  'settings.list': 'read',
  'settings.set': 'record',
  'settings.reset': 'record',
  'store.backup': 'record',
  'activity.recent': 'read',
  'exchanges.list': 'read',
  'accounts.list': 'read',
  'accounts.add': 'record',
  'accounts.update': 'record',
  'accounts.remove': 'record',
  'accounts.test': 'record',
  'accounts.removalImpact': 'read',
  'accounts.reconnect': 'record',
  'secrets.status': 'read',
  'secrets.usePassphrase': 'record',
  'secrets.unlock': 'record',
  'secrets.resetMasterKey': 'record',
  'venues.list': 'read',
  'venues.former': 'read',
  'markets.search': 'read',
  'balances.list': 'read',
  'balances.venue': 'read',
  'sim.traders': 'read',
  'sim.trader': 'read',
  'paper.reset': 'record',
  'market.candles': 'read',
  'market.health': 'read',
  'workspace.get': 'read',
  'workspace.save': 'quiet',
  'orders.preview': 'read',
  'orders.submit': 'record',
  'orders.cancel': 'record',
  'orders.cancelAll': 'record',
  'orders.amend': 'record',
  'orders.list': 'read',
  'fills.list': 'read',
  'positions.flatten': 'record',
  'conditional.create': 'record',
  'conditional.cancel': 'record',
  'conditional.amend': 'record',
  'conditional.list': 'read',
  'risk.get': 'read',
  'risk.today': 'read',
  'risk.set': 'record',
  'trading.killSwitch': 'record',
  'trading.resume': 'record',
  'paper.open': 'record',
  'paper.close': 'record',
  'portfolio.summary': 'read',
  'portfolio.equity': 'read',
  'portfolio.lots': 'read',
  'portfolio.accounts': 'read',
  'portfolio.sync': 'record',
  'portfolio.syncCancel': 'record',
  'portfolio.import': 'record',
  'portfolio.importCheck': 'read',
  'portfolio.imports': 'read',
  'portfolio.entries': 'read',
  'portfolio.removeImport': 'record',
  'portfolio.importRates': 'record',
  'copy.leaders': 'read',
  'copy.leaderFills': 'read',
  'copy.follow': 'record',
  'copy.update': 'record',
  'copy.pause': 'record',
  'copy.resume': 'record',
  'copy.unfollow': 'record',
  'copy.follows': 'read',
  'copy.records': 'read',
  'copy.drift': 'read',
  'copy.stats': 'read',
  'alerts.create': 'record',
  'alerts.cancel': 'record',
  'alerts.amend': 'record',
  'alerts.list': 'read',
  'alerts.events': 'read',
  'alerts.emailGet': 'read',
  'alerts.emailSet': 'record',
  'alerts.emailTest': 'record',
  'alerts.riskCreate': 'record',
  'alerts.riskCancel': 'record',
  'alerts.riskList': 'read',
  'analytics.leaderboard': 'read',
  'analytics.heatmap': 'read',
  'tax.report': 'read',
  'tax.export': 'record',
  // Stops a computation; nothing stored changes.
  'tax.cancel': 'read',
  'tax.carryInList': 'read',
  'tax.carryInSet': 'record',
  'tax.carryInClear': 'record',
  'lock.status': 'read',
  'lock.activity': 'quiet',
  'lock.lock': 'record',
  'lock.unlock': 'record',
  'lock.setPassphrase': 'record',
  'lock.clear': 'record',
  'audit.list': 'read',
  'audit.verify': 'record',
  'audit.export': 'record',
} as const satisfies Record<CommandName, Policy>

/** The commands that change nothing (the renderer's transport tells a dropped read from a dropped change by these). */
export type ReadCommand = { [K in CommandName]: (typeof auditPolicy)[K] extends 'read' ? K : never }[CommandName]

/** Fields kept as they are: what was traded, where, at what price, which setting. */
const KEPT = new Set([
  'key', 'value', 'id', 'exchange', 'label', 'sandbox', 'apiBaseUrl', 'venueId', 'symbol', 'side', 'type', 'postOnly',
  'timeInForce', 'unit', 'price', 'amount', 'clientOrderId', 'kind', 'trigger', 'triggerPrice', 'limitPrice',
  'activationPrice', 'placement', 'trailingValue', 'maxOrderNotional', 'maxPositionNotional', 'priceBandPct',
  'dailyLossLimit', 'account', 'markets', 'format', 'fileName', 'leaderId', 'followerVenueId', 'mode', 'allocationPct',
  'minTradeQuote', 'maxTradeQuote', 'sides', 'maxSlippagePct', 'action', 'maxOpenPositions', 'dailyLossStop',
  'totalStopLoss', 'copyExisting', 'maxAgeSec', 'condition', 'source', 'desktop', 'repeat', 'email', 'host', 'port',
  'security', 'from', 'to', 'metric', 'threshold', 'currency', 'jurisdiction', 'year', 'method', 'pooling', 'timeZone', 'name', 'followId', 'asset',
  'shortTerm', 'longTerm',
])
/** Fields said to be there, never shown: credentials, passphrases, free text, a webhook URL (often a token). */
const WITHHELD = new Set(['credentials', 'apiKey', 'secret', 'password', 'passphrase', 'current', 'next', 'webhookUrl', 'note', 'username'])
const MAX_DETAIL = 600

/**
 * The recorded summary of a command's (validated) input: `field=value` for kept fields, `field=(withheld)`
 * for secret ones, a file's size instead of its text. Fields on neither list are left out, so a field a
 * later command adds is not recorded until someone decides it is safe.
 */
export function describeInput(input: unknown): string {
  const parts: string[] = []
  walk(input, '', parts, 0)
  const text = parts.join(' ')
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text
}

function walk(value: unknown, prefix: string, parts: string[], depth: number): void {
  if (value === null || typeof value !== 'object' || depth > 3) return
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue
    const name = prefix + k
    if (WITHHELD.has(k)) parts.push(`${name}=(withheld)`)
    else if (k === 'text' && typeof v === 'string') parts.push(`${name}=(${Buffer.byteLength(v)} bytes)`)
    else if (Array.isArray(v)) {
      if (v.every((x) => typeof x !== 'object' || x === null)) {
        if (KEPT.has(k)) parts.push(`${name}=[${v.map(String).join(',')}]`)
      } else v.forEach((x, i) => walk(x, `${name}[${i}].`, parts, depth + 1))
    } else if (typeof v === 'object' && v !== null) walk(v, `${name}.`, parts, depth + 1)
    else if (KEPT.has(k)) parts.push(`${name}=${typeof v === 'string' ? JSON.stringify(v) : String(v)}`)
  }
}

/** The id a command's answer gave what it made (an order's client id, an alert's id), if any. */
/**
 * A test that answered but failed (accounts.test `{ ok: false, kind }`, alerts.emailTest `{ delivered:
 * false, detail }`): the outcome to record instead of "ok", and what to add to the detail. An exchange's
 * message may echo the key it was sent, so only its kind is kept; a mail server's answer is kept.
 * (audit.verify's `ok: false` is a finding about the log, not a failed command: it stays "ok".) An
 * orders.cancel answered with an order that ended on its own first is "not canceled: filled" (expired, rejected).
 */
export function describeFailure(name: CommandName, value: unknown): { outcome: string; said: string } | null {
  if (value === null || typeof value !== 'object') return null
  const v = value as Record<string, unknown>
  if (name === 'accounts.test' && v.ok === false) return { outcome: typeof v.kind === 'string' ? `failed: ${v.kind}` : 'failed', said: '' }
  if (name === 'alerts.emailTest' && v.delivered === false) return { outcome: 'failed', said: typeof v.detail === 'string' ? v.detail : '' }
  // The trader's cancel answers with the order when it filled (expired, was rejected) before the cancel reached it:
  // no cancel took place, so not "ok" — the entry says how the order ended, in cancel-all's words.
  if (name === 'orders.cancel') {
    const ended = endedBeforeCancel(v as unknown as Pick<OrderRecord, 'status' | 'symbol' | 'filled' | 'amount' | 'error'>)
    if (ended !== null) return { outcome: `not canceled: ${ended.status}`, said: ended.how }
  }
  return null
}

export function describeOutput(value: unknown): string {
  if (value === null || typeof value !== 'object') return ''
  const v = value as Record<string, unknown>
  for (const k of ['clientOrderId', 'id', 'path', 'fileName'] as const) if (typeof v[k] === 'string') return `→ ${k}=${JSON.stringify(v[k])}`
  // A rates import that replaced stored rates: which, from what to what.
  if (typeof v.changed === 'number' && v.changed > 0 && Array.isArray(v.changes)) return `→ ${describeRateChanges(v as unknown as RateChanges)}`
  return ''
}

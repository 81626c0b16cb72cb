import { formatDecimal } from '../../ui/decimal'
import type { Tone } from '../trading/labels'
import type { CloseResult, CopyRecordStatus, CopyValuationAsset, FollowStatus, LeaderView, SkipRule, Sizing } from '../../../src-main/api/schemas/copy'

// Words and tones for the copy screens. The statuses, rules and figures are the engine's; this only names
// them. Pure (no DOM), so it is tested in Node.

const followStatusText: Record<FollowStatus, { text: string; tone: Tone }> = {
  active: { text: 'active', tone: 'ok' },
  paused: { text: 'paused', tone: 'warn' },
  'stopped-daily': { text: 'stopped today', tone: 'warn' },
  stopped: { text: 'stopped', tone: 'err' },
}

export const followStatusLabel = (status: FollowStatus) => followStatusText[status] ?? { text: status, tone: 'muted' as Tone }

const recordStatusText: Record<CopyRecordStatus, { text: string; tone: Tone }> = {
  pending: { text: 'pending', tone: 'muted' },
  copied: { text: 'copied', tone: 'ok' },
  partial: { text: 'partly copied', tone: 'accent' },
  skipped: { text: 'skipped', tone: 'warn' },
  failed: { text: 'failed', tone: 'err' },
}

export const recordStatusLabel = (status: CopyRecordStatus) => recordStatusText[status] ?? { text: status, tone: 'muted' as Tone }

/** The skip rule in a few words (the record's `reason` has the engine's full sentence). */
export const skipRuleLabels: Record<SkipRule, string> = {
  paused: 'paused',
  stopped: 'stopped',
  side: 'side filter',
  'deny-list': 'deny list',
  'not-allowed': 'not on allow list',
  'unmapped-market': 'no such market',
  'too-old': 'too old',
  'below-min': 'below minimum',
  allocation: 'allocation cap',
  'max-positions': 'max positions',
  'price-guard': 'price guard',
  'no-position': 'no position',
  'daily-loss': 'daily loss stop',
  'total-loss': 'total stop-loss',
  risk: 'risk limit',
  'market-rules': 'market rules',
  'no-equity': 'no equity',
  'same-order': 'order already copied',
  'insufficient-balance': 'coins not in the account',
  'leader-position': 'leader position unknown',
}

export const leaderKindLabels: Record<LeaderView['kind'], string> = {
  exchange: 'exchange',
  paper: 'paper',
  'sim-trader': 'sim trader',
}

/**
 * The currency the copy engine reads every money setting in (its valuation asset), whatever the follower
 * market's quote. The type is the engine's constant, so the two cannot drift apart.
 */
export const COPY_MONEY_ASSET: CopyValuationAsset = 'USDT'

const VALUED = `valued in ${COPY_MONEY_ASSET} whatever the market’s quote`

/** The Follow form's money settings: label, hint and unit. */
export const moneyFields = {
  fixedQuote: { label: `${COPY_MONEY_ASSET} per trade`, hint: `spent on each copied buy; ${VALUED}`, unit: COPY_MONEY_ASSET },
  minTradeQuote: { label: 'Min trade', hint: `smaller copies are skipped; ${VALUED}`, unit: COPY_MONEY_ASSET },
  maxTradeQuote: { label: 'Max trade', hint: `larger copies are cut to this; ${VALUED}`, unit: COPY_MONEY_ASSET },
  dailyLossStop: { label: 'Daily loss stop', hint: `stops for the rest of the UTC day once the copies lost this; ${VALUED}`, unit: COPY_MONEY_ASSET },
  totalStopLoss: { label: 'Total stop-loss', hint: `stops the relationship once the copies lost this in all (P resumes it after raising it); ${VALUED}`, unit: COPY_MONEY_ASSET },
} as const

/** '100 USDT per trade', '× 0.5', 'proportional'. */
export function sizingText(sizing: Sizing): string {
  if (sizing.mode === 'proportional') return 'proportional'
  if (sizing.mode === 'multiplier') return `× ${formatDecimal(sizing.value)}`
  return `${formatDecimal(sizing.value)} ${COPY_MONEY_ASSET} per trade`
}

/** A latency figure (plain number, ms) for the screen: '3.2', '41', '—' when not reached. */
export function latencyText(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—'
  if (ms < 10) return ms.toFixed(1)
  return String(Math.round(ms))
}

/** 'detection / decision / submission' ms of a copy record, each from the leader's fill. */
export function latencySplit(r: { detectedMs: number | null; decidedMs: number | null; submittedMs: number | null }): string {
  return `${latencyText(r.detectedMs)} / ${latencyText(r.decidedMs)} / ${latencyText(r.submittedMs)}`
}

/** The Traders page's id of the simulated trader a leader id names ('sim:trader:<slug>' → 'trader:<slug>'), or null. */
export function simTraderOf(leaderId: string): string | null {
  const m = /^sim:(trader:.+)$/.exec(leaderId)
  return m ? m[1]! : null
}

/** "Unfollow and close positions" in words: whether every market was sold, and one line per market. */
export function closeSummary(closes: readonly CloseResult[]): { ok: boolean; title: string; lines: string[] } {
  const sent = closes.filter((c) => c.outcome === 'sent').length
  const refused = closes.filter((c) => c.outcome === 'refused').length
  const title =
    closes.length === 0
      ? 'the copies held nothing to sell'
      : refused > 0
        ? `${refused} of ${closes.length} sells refused`
        : `${sent} market sell${sent === 1 ? '' : 's'} sent`
  return { ok: refused === 0, title, lines: closes.map((c) => `${c.followerSymbol}: ${c.message}`) }
}

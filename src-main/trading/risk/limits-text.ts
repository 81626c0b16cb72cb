import type { RiskLimits } from '../../api/schemas/trading'

/** The limits as a sentence shows them: "max order 1000 USDT, max position no limit, price band 5%, …". */
export function limitsText(limits: RiskLimits): string {
  const usdt = (v: string | null) => (v === null ? 'no limit' : `${v} USDT`)
  return [
    `max order ${usdt(limits.maxOrderNotional)}`,
    `max position ${usdt(limits.maxPositionNotional)}`,
    `price band ${limits.priceBandPct === null ? 'no limit' : `${limits.priceBandPct}%`}`,
    `daily loss limit ${usdt(limits.dailyLossLimit)}`,
  ].join(', ')
}

import Decimal from 'decimal.js'

// A forming candle's volume is the exchange's figure plus the amounts of the trades since, added exactly (as
// doubles, 0.1 + 0.2 made 0.30000000000000004 and a busy minute drifted from the exchange's). Its own clone:
// 64 significant digits hold any sum of venue amounts, and nobody else's Decimal settings change.
export const Volume = Decimal.clone({ precision: 64, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -64, toExpPos: 64 })
export type Volume = Decimal

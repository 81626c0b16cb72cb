import type { Fill } from '../../port'

/** Average-cost tracking of one market's base position from the trader's own fills (fees included). */
export class CostBasis {
  qty = 0
  cost = 0
  lastEntryAt = 0

  constructor(readonly symbol: string) {}

  get avgPrice(): number {
    return this.qty > 0 ? this.cost / this.qty : 0
  }

  apply(fill: Fill): void {
    if (fill.symbol !== this.symbol) return
    const price = Number(fill.price)
    const amount = Number(fill.amount)
    const fee = Number(fill.fee.amount)
    if (fill.side === 'buy') {
      // A buyer's fee is paid in base: fewer units for the same cost.
      const received = fill.fee.asset === this.symbol.split('/')[0] ? amount - fee : amount
      this.qty += received
      this.cost += price * amount
      this.lastEntryAt = fill.timestamp
    } else if (this.qty > 0) {
      const sold = Math.min(amount, this.qty)
      this.cost -= this.avgPrice * sold
      this.qty -= sold
      if (this.qty <= 1e-12) {
        this.qty = 0
        this.cost = 0
      }
    }
  }
}

import { fixedArith } from '../arith'
import type { PriceBook } from '../prices'
import { pricesByVenue, type GeneralPrices, type VenueObservations } from '../venue-prices'
import type { LivePriceBoard, LiveQuote } from './price-board'

// The prices a live view values with. Each account first at its own venue's prices: its live ones, then
// its stored marks and trades of the last week (venue-prices.ts) — even when another venue (or another
// venue's stored trade or mark) priced the pair later. A pair its venue has no such price for — and every
// pair of an account with no venue (an import) — falls back to the newest price known that may value it:
// any real venue's live price, a stored mark, a ledger trade; the simulated exchange's only for its own
// accounts (priceMayValue).

export class LivePrices {
  /** The stored prices with every venue's live ones laid over, the newest winning. */
  readonly general: GeneralPrices<bigint>
  /** The prices valuing `account`: the general ones that may value it, with its venue's own preferred. */
  readonly of: (account: string) => PriceBook<bigint>

  constructor(stored: GeneralPrices<bigint>, storedByVenue: VenueObservations<bigint>, board: LivePriceBoard, now: number) {
    this.general = stored.clone()
    for (const q of board.all()) lay(q, (b, qt, p, at) => this.general.observe(q.venueId, b, qt, p, at))
    this.of = pricesByVenue(this.general, storedByVenue, now, {
      has: (venue) => !board.ofVenue(venue)[Symbol.iterator]().next().done,
      // Laid last: a venue's live price wins over its stored one.
      lay: (venue, book) => {
        for (const q of board.ofVenue(venue)) lay(q, (base, quote, p, at) => book.prefer(base, quote, p, at))
      },
    })
  }
}

function lay(q: LiveQuote, put: (base: string, quote: string, price: bigint, at: number) => void): void {
  try {
    put(q.base, q.quote, fixedArith.parse(q.price), q.at)
  } catch {
    // the board holds canonical decimals only
  }
}

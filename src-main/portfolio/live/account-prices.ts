import { fixedArith } from '../arith'
import type { PriceBook } from '../prices'
import { isSimTraderAccount, SIM_LEDGER_ACCOUNT } from '../sim-feed'
import type { LivePriceBoard, LiveQuote } from './price-board'

// The prices a live view values with. Each account first at its own venue's live prices: a pair its venue
// prices live is valued there, even when another venue (or a stored trade or mark) priced it later. A pair
// its venue has no live price for — and every pair of an account with no venue (an import) — falls back
// to the newest price known: any venue's live price, a stored mark, a ledger trade.

/** The venue whose live prices value a ledger account: its own id (exchange, `paper:<n>`, 'sim'); the simulated exchange for its traders. */
export function venueOfAccount(account: string): string {
  return isSimTraderAccount(account) ? SIM_LEDGER_ACCOUNT : account
}

export class LivePrices {
  /** The stored prices with every venue's live ones laid over, the newest winning. */
  readonly general: PriceBook<bigint>
  private readonly byVenue = new Map<string, PriceBook<bigint>>()

  constructor(
    stored: PriceBook<bigint>,
    private readonly board: LivePriceBoard,
  ) {
    this.general = stored.clone()
    for (const q of board.all()) lay(q, (b, qt, p, at) => this.general.observe(b, qt, p, at))
  }

  /** The prices valuing `account`: the general ones with its venue's live ones preferred. */
  readonly of = (account: string): PriceBook<bigint> => {
    const venue = venueOfAccount(account)
    let book = this.byVenue.get(venue)
    if (book === undefined) {
      const own = [...this.board.ofVenue(venue)]
      if (own.length === 0) book = this.general
      else {
        const b = this.general.clone()
        for (const q of own) lay(q, (base, quote, p, at) => b.prefer(base, quote, p, at))
        book = b
      }
      this.byVenue.set(venue, book)
    }
    return book
  }
}

function lay(q: LiveQuote, put: (base: string, quote: string, price: bigint, at: number) => void): void {
  try {
    put(q.base, q.quote, fixedArith.parse(q.price), q.at)
  } catch {
    // the board holds canonical decimals only
  }
}

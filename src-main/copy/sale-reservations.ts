import Decimal from 'decimal.js'

// Coins held by copy sales the exchange may not have counted yet, per (follower account, coin).
//
// A copy sale reads the account's free balance and sells at most that (03b11f7). Two sales of the same coin
// on one account (two leaders copied onto it) deciding at once would both take the same free coins, and the
// exchange refuse one. So each decided sale reserves its amount here until the exchange has answered its
// order (from then on a balance read shows those coins frozen or gone), and a sale deciding on a read takes
// off every sale the read may not include:
// - reserved when the read started, or since, and not answered before it started: counted;
// - among those, one sent before the read's reply came back may or may not be in it (ambiguous): when that
//   could make the coin look short (coins would leave the copies' book), the sale waits for those answers
//   and reads again, so only an unambiguous read takes coins off the book.

interface Entry {
  amount: Decimal
  /** Order of the moment the order was handed to the order manager; null: not sent yet. */
  sentAt: number | null
  answered: Promise<void>
  answer: () => void
}

export interface SaleRead {
  /** The free balance less every reservation the read may not include (never below 0). */
  free(): Decimal
  /** Sales that may or may not be in the read: settled when all of them are answered. */
  ambiguous(): Promise<void> | null
  /** The sale decided (or not): the read stops collecting reservations. */
  done(): void
}

export class SaleReservations {
  private clock = 0
  private readonly live = new Map<string, Map<string, Entry>>()
  private readonly reads = new Map<string, Set<Set<Entry>>>()

  /**
   * Reads the free balance through `fetch`; the reservations the read may not include are collected until
   * `done()`, so a sale decided by another relationship meanwhile is taken off too.
   */
  async read(venueId: string, asset: string, fetch: () => Promise<Decimal | null>): Promise<SaleRead | null> {
    const k = key(venueId, asset)
    const seen = new Set(this.live.get(k)?.values() ?? [])
    const open = this.reads.get(k) ?? new Set<Set<Entry>>()
    open.add(seen)
    this.reads.set(k, open)
    const done = () => {
      open.delete(seen)
      if (open.size === 0 && this.reads.get(k) === open) this.reads.delete(k)
    }
    let fetched: Decimal | null
    try {
      fetched = await fetch()
    } catch (err) {
      done()
      throw err
    }
    const repliedAt = this.tick()
    if (fetched === null) {
      done()
      return null
    }
    const free = fetched
    return {
      free: () => Decimal.max(free.minus([...seen].reduce((sum, e) => sum.plus(e.amount), new Decimal(0))), 0),
      ambiguous: () => {
        const maybe = [...seen].filter((e) => e.sentAt !== null && e.sentAt < repliedAt)
        return maybe.length === 0 ? null : Promise.all(maybe.map((e) => e.answered)).then(() => undefined)
      },
      done,
    }
  }

  /** A sale decided on `venueId` for `amount` of `asset`, its order to have `clientOrderId`. */
  reserve(venueId: string, asset: string, clientOrderId: string, amount: Decimal): void {
    const k = key(venueId, asset)
    const entries = this.live.get(k) ?? new Map<string, Entry>()
    if (entries.has(clientOrderId)) return
    let answer!: () => void
    const answered = new Promise<void>((resolve) => (answer = resolve))
    const entry: Entry = { amount, sentAt: null, answered, answer }
    entries.set(clientOrderId, entry)
    this.live.set(k, entries)
    for (const seen of this.reads.get(k) ?? []) seen.add(entry)
  }

  /** The order is being handed to the order manager (reserved now if it was not: a resumed sale). */
  sent(venueId: string, asset: string, clientOrderId: string, amount: Decimal): void {
    this.reserve(venueId, asset, clientOrderId, amount)
    const entry = this.live.get(key(venueId, asset))?.get(clientOrderId)
    if (entry !== undefined && entry.sentAt === null) entry.sentAt = this.tick()
  }

  /** The exchange answered the order (a read from now on includes it), or it will not be sent: released. */
  answered(clientOrderId: string): void {
    for (const [k, entries] of this.live) {
      const entry = entries.get(clientOrderId)
      if (entry === undefined) continue
      entries.delete(clientOrderId)
      if (entries.size === 0) this.live.delete(k)
      entry.answer()
    }
  }

  private tick(): number {
    return ++this.clock
  }
}

function key(venueId: string, asset: string): string {
  return `${venueId}|${asset}`
}

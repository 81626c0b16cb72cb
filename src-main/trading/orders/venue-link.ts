import Decimal from 'decimal.js'
import type { ConnectionState, Fill, Unwatch, Venue, VenueOrder } from '../../venues/port'
import { onPrivateStreamsBack } from '../../venues/private-streams'

// The order manager's line to one venue: the account's order and fill streams, and its connection state.
// A watch error or a return to 'live' after a gap asks for reconciliation, since updates may have been
// missed while the line was down.

export interface VenueLinkHandlers {
  onOrder(report: VenueOrder): void
  onFill(fill: Fill): void
  /** Updates may have been missed: reconcile after `delayMs`. */
  onGap(reason: string, delayMs: number): void
}

export class VenueLink {
  private readonly stops: Unwatch[] = []
  private state: ConnectionState

  constructor(
    readonly venue: Venue,
    private readonly handlers: VenueLinkHandlers,
    /** How long after a watch error to reconcile (the adapter reconnects the watch meanwhile). */
    private readonly resyncDelayMs: number,
  ) {
    this.state = venue.connection()
  }

  start(): void {
    // An exchange whose ccxt has no fill stream (Coinbase): watching one would only fail and retry for ever (the
    // account never live, degraded at each retry). Its fills come by REST: a reconcile once an order update
    // says it filled.
    const fillStream = this.venue.capabilities.watchMyFills
    const onError = (what: string) => (err: Error) => this.handlers.onGap(`${what} stream failed: ${err.message}`, this.resyncDelayMs)
    this.stops.push(
      this.venue.onConnection((state) => {
        const was = this.state
        this.state = state
        if (state === 'live' && was !== 'live') this.handlers.onGap(`connection back (was ${was})`, 0)
      }),
      // The account's own stream back after a failure (the venue's connection stayed live meanwhile): what
      // filled since the last reconcile came on no stream, so reconcile at once.
      onPrivateStreamsBack(this.venue, () => this.handlers.onGap('order and fill stream subscribed again', 0)),
      this.venue.watchMyOrders((report) => {
        this.handlers.onOrder(report)
        if (!fillStream && new Decimal(report.filled).gt(0)) {
          this.handlers.onGap(`order ${report.venueOrderId} filled ${report.filled} (no fill stream on this exchange)`, this.resyncDelayMs)
        }
      }, onError('order')),
    )
    if (fillStream) this.stops.push(this.venue.watchMyFills((fill) => this.handlers.onFill(fill), onError('fill')))
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop()
  }
}

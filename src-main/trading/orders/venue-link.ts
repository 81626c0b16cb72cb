import type { ConnectionState, Fill, Unwatch, Venue, VenueOrder } from '../../venues/port'

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
    const onError = (what: string) => (err: Error) => this.handlers.onGap(`${what} stream failed: ${err.message}`, this.resyncDelayMs)
    this.stops.push(
      this.venue.onConnection((state) => {
        const was = this.state
        this.state = state
        if (state === 'live' && was !== 'live') this.handlers.onGap(`connection back (was ${was})`, 0)
      }),
      this.venue.watchMyOrders((report) => this.handlers.onOrder(report), onError('order')),
      this.venue.watchMyFills((fill) => this.handlers.onFill(fill), onError('fill')),
    )
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop()
  }
}

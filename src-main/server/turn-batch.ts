// The frames a door sends during one turn of the event loop leave in one write. Streams flush many views
// at once (books, tapes, tickers, the portfolio): one WebSocket frame per write was a system call each,
// the engine's largest single cost in the stream bench (writev, 6 % of its samples). Corking the socket
// at the first send of a turn and uncorking it once the turn's callbacks have run (setImmediate) lets the
// socket write them all with one writev, in order, less than one loop turn later.

export interface Corkable {
  cork(): void
  uncork(): void
}

/** Call before each write: the first of a turn corks `transport`, and it is uncorked after the turn. */
export function turnBatcher(transport: Corkable, defer: (fn: () => void) => void = setImmediate): () => void {
  let corked = false
  const release = (): void => {
    corked = false
    transport.uncork()
  }
  return () => {
    if (corked) return
    corked = true
    transport.cork()
    defer(release)
  }
}

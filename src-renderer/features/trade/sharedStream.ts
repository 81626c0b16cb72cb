// One engine stream shared by every view that asks for the same thing (a ladder and a depth chart on one
// market, grouping and depth get the same market.book frames): one subscription, one frame on the wire
// per change, instead of one per view. Pure (the subscribe function is passed in), so it is tested in Node.

/** Opens a stream; returns its close function. `onError`: the engine refused or ended the stream. */
export type Subscribe<P, F> = (params: P, onEvent: (frame: F) => void, onError: (message: string) => void) => () => void

interface Entry<F> {
  events: Set<(frame: F) => void>
  errors: Set<(message: string) => void>
  /** The latest frame, for a view that joins later (streams send on change only). */
  last: F | undefined
  close: () => void
}

/**
 * A `subscribe` with the same signature that shares one underlying stream per `keyOf(params)`: the first
 * view opens it, later ones join it (and get its latest frame at once), the last one to leave closes it.
 * A stream that errs is forgotten (the engine ended it), so the next view opens a fresh one.
 */
export function sharedStreams<P, F>(keyOf: (params: P) => string, subscribe: Subscribe<P, F>): Subscribe<P, F> {
  const open = new Map<string, Entry<F>>()
  return (params, onEvent, onError) => {
    const key = keyOf(params)
    let entry = open.get(key)
    if (entry === undefined) {
      const e: Entry<F> = { events: new Set(), errors: new Set(), last: undefined, close: () => {} }
      open.set(key, e)
      e.close = subscribe(
        params,
        (frame) => {
          e.last = frame
          for (const listener of [...e.events]) listener(frame)
        },
        (message) => {
          if (open.get(key) === e) open.delete(key)
          for (const listener of [...e.errors]) listener(message)
        },
      )
      entry = e
    }
    const e = entry
    // Each join is its own listener, even when a view passes the same function twice.
    const event = (frame: F) => onEvent(frame)
    const error = (message: string) => onError(message)
    e.events.add(event)
    e.errors.add(error)
    if (e.last !== undefined) onEvent(e.last)
    let left = false
    return () => {
      if (left) return
      left = true
      e.events.delete(event)
      e.errors.delete(error)
      if (e.events.size > 0) return
      if (open.get(key) === e) open.delete(key)
      e.close()
    }
  }
}

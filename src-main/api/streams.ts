import { streams, type StreamPayload } from './contract'
import { isStreamName, type StreamName } from './names'
import { fail, type Reply } from './errors'
import { formatIssues } from './format-issues'
import type { EventBus } from '../bus'

/** Starts feeding one subscriber and returns how to stop. */
type Source<S extends StreamName> = (emit: (payload: StreamPayload<S>) => void, params: unknown) => () => void
export type StreamSources = { [S in StreamName]: Source<S> }

export interface StreamHub {
  /** Validates name and params, then starts the source. The reply carries the stop function. */
  open(name: unknown, params: unknown, emit: (payload: unknown) => void): Reply<() => void>
}

export function createStreamHub(sources: StreamSources): StreamHub {
  return {
    open(name, params, emit) {
      if (!isStreamName(name)) {
        return fail('UNKNOWN_STREAM', `Unknown stream ${JSON.stringify(String(name)).slice(0, 80)}`)
      }
      const parsed = streams[name].params.safeParse(params ?? {})
      if (!parsed.success) {
        return fail('BAD_INPUT', `Invalid params for stream ${name}: ${formatIssues(parsed.error)}`)
      }
      const source = sources[name] as Source<StreamName>
      return { ok: true, value: source(emit as (p: StreamPayload<StreamName>) => void, parsed.data) }
    },
  }
}

/** Streams that simply forward a bus event. */
export function busSources(bus: EventBus): StreamSources {
  return {
    'settings.changed': (emit) => bus.on('settingChanged', (e) => emit(e.view)),
    'activity.recorded': (emit) => bus.on('activityRecorded', (e) => emit(e.entry)),
    'accounts.changed': (emit) => bus.on('accountsChanged', (e) => emit(e)),
    'venues.changed': (emit) => bus.on('venueChanged', (e) => emit(e.view)),
    'balances.changed': (emit) => bus.on('balancesChanged', (e) => emit(e.balances)),
  }
}

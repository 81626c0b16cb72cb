import { streams, type StreamArgs, type StreamPayload } from './contract'
import { isStreamName, type StreamName } from './names'
import { AppError, fail, type Reply } from './errors'
import { formatIssues } from './format-issues'
import type { EventBus } from '../bus'

/**
 * Starts feeding one subscriber and returns how to stop. `params` are the stream's params, already
 * validated (defaults filled in). A source may throw AppError to refuse the subscription (e.g. NOT_FOUND);
 * the subscribe reply then carries that error.
 */
type Source<S extends StreamName> = (emit: (payload: StreamPayload<S>) => void, params: StreamArgs<S>) => () => void
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
      const source = sources[name] as (emit: (p: unknown) => void, params: unknown) => () => void
      try {
        return { ok: true, value: source(emit, parsed.data) }
      } catch (err) {
        if (err instanceof AppError) return fail(err.code, err.message)
        throw err
      }
    },
  }
}

type BusStreamName = 'settings.changed' | 'activity.recorded' | 'accounts.changed' | 'venues.changed' | 'balances.changed' | 'workspace.changed'

/** Streams that simply forward a bus event. */
export function busSources(bus: EventBus): Pick<StreamSources, BusStreamName> {
  return {
    'settings.changed': (emit) => bus.on('settingChanged', (e) => emit(e.view)),
    'activity.recorded': (emit) => bus.on('activityRecorded', (e) => emit(e.entry)),
    'accounts.changed': (emit) => bus.on('accountsChanged', (e) => emit(e)),
    'venues.changed': (emit) => bus.on('venueChanged', (e) => emit(e.view)),
    'balances.changed': (emit) => bus.on('balancesChanged', (e) => emit(e.balances)),
    'workspace.changed': (emit) => bus.on('workspaceSaved', (e) => emit(e)),
  }
}

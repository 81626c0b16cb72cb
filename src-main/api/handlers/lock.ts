import type { HandlerSlice } from '../router'
import type { StreamSources } from '../streams'
import type { EventBus } from '../../bus'
import type { LockService } from '../../lock/service'

/** The app lock: its state, the idle clock, lock / unlock, and its passphrase. */
export function lockHandlers(lock: LockService): HandlerSlice<'lock.status' | 'lock.activity' | 'lock.lock' | 'lock.unlock' | 'lock.setPassphrase' | 'lock.clear'> {
  return {
    'lock.status': () => lock.status(),
    'lock.activity': () => {
      lock.touch()
      return null
    },
    'lock.lock': () => lock.lock(),
    'lock.unlock': ({ passphrase }) => lock.unlock(passphrase),
    'lock.setPassphrase': ({ current, next }) => lock.setPassphrase(current, next),
    'lock.clear': ({ current }) => lock.clear(current),
  }
}

export function lockSources(bus: EventBus): Pick<StreamSources, 'lock.changed'> {
  return { 'lock.changed': (emit) => bus.on('lockChanged', (e) => emit(e.status)) }
}

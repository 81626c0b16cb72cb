import type { HandlerSlice } from '../router'
import type { StreamSources } from '../streams'
import type { EventBus } from '../../bus'
import type { LockService } from '../../lock/service'

/** The app lock: its state, the idle clock, lock / unlock, and its passphrase, each as the calling screen sees it. */
export function lockHandlers(lock: LockService): HandlerSlice<'lock.status' | 'lock.activity' | 'lock.lock' | 'lock.unlock' | 'lock.setPassphrase' | 'lock.clear'> {
  return {
    'lock.status': (_input, ctx) => lock.status(ctx.screen),
    'lock.activity': (_input, ctx) => {
      lock.touch(ctx.screen)
      return null
    },
    'lock.lock': (_input, ctx) => lock.lock(ctx.screen),
    'lock.unlock': ({ passphrase }, ctx) => lock.unlock(passphrase, ctx.screen),
    'lock.setPassphrase': ({ current, next }, ctx) => lock.setPassphrase(current, next, ctx.screen),
    'lock.clear': ({ current }, ctx) => lock.clear(current, ctx.screen),
  }
}

export function lockSources(bus: EventBus): Pick<StreamSources, 'lock.changed'> {
  return { 'lock.changed': (emit) => bus.on('lockChanged', (e) => emit(e.status)) }
}

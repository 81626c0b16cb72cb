import type { HandlerSlice } from '../router'
import type { StreamSources } from '../streams'
import type { EventBus } from '../../bus'
import type { Copier } from '../../copy/copier'

type CopyCommand =
  | 'copy.leaders'
  | 'copy.leaderFills'
  | 'copy.follow'
  | 'copy.update'
  | 'copy.pause'
  | 'copy.resume'
  | 'copy.unfollow'
  | 'copy.follows'
  | 'copy.records'
  | 'copy.drift'
  | 'copy.stats'

export function copyHandlers(copier: Copier): HandlerSlice<CopyCommand> {
  return {
    'copy.leaders': () => copier.leaders(),
    'copy.leaderFills': ({ leaderId, limit }) => copier.leaderFills(leaderId, limit),
    'copy.follow': (settings) => copier.follow(settings),
    'copy.update': ({ id, settings }) => copier.update(id, settings),
    'copy.pause': ({ id }) => copier.pause(id),
    'copy.resume': ({ id }) => copier.resume(id),
    'copy.unfollow': ({ id, closePositions }) => (closePositions ? copier.unfollowAndClose(id) : { ...copier.unfollow(id), closes: [] }),
    'copy.follows': () => copier.follows(),
    'copy.records': ({ followId, limit, before }) =>
      copier.records({ limit, ...(followId === undefined ? {} : { followId }), ...(before === undefined ? {} : { before }) }),
    'copy.drift': ({ followId }) => copier.drift(followId),
    'copy.stats': () => copier.stats(),
  }
}

/** copy.recorded and copy.followChanged forward bus events; copy.leaderFill also keeps the leader watched. */
export function copySources(bus: EventBus, copier: Copier): Pick<StreamSources, 'copy.recorded' | 'copy.followChanged' | 'copy.leaderFill'> {
  return {
    'copy.recorded': (emit) => bus.on('copyRecorded', (e) => emit(e.record)),
    'copy.followChanged': (emit) => bus.on('copyFollowChanged', (e) => emit(e.view)),
    'copy.leaderFill': (emit, { leaderId }) => copier.watchLeader(leaderId, emit),
  }
}

import type { HandlerSlice } from '../router'
import type { StreamSources } from '../streams'
import type { EventBus } from '../../bus'
import type { AlertEngine } from '../../alerts/engine'
import type { EmailChannel } from '../../alerts/email'

export function alertsHandlers(
  alerts: AlertEngine,
  email: EmailChannel,
): HandlerSlice<'alerts.create' | 'alerts.cancel' | 'alerts.amend' | 'alerts.list' | 'alerts.events' | 'alerts.emailGet' | 'alerts.emailSet' | 'alerts.emailTest'> {
  return {
    'alerts.create': (input) => alerts.create(input),
    'alerts.cancel': ({ id }) => alerts.cancel(id),
    'alerts.amend': ({ id, price }) => alerts.amend(id, price),
    'alerts.list': (q) => alerts.list(q),
    'alerts.events': ({ limit }) => alerts.events(limit),
    'alerts.emailGet': () => email.view(),
    'alerts.emailSet': (input) => email.set(input),
    'alerts.emailTest': () => email.test(),
  }
}

export function alertsSources(bus: EventBus): Pick<StreamSources, 'alerts.changed' | 'alerts.fired' | 'alerts.notices'> {
  return {
    'alerts.changed': (emit) => bus.on('alertChanged', (e) => emit(e.view)),
    'alerts.fired': (emit) => bus.on('alertFired', (e) => emit(e.event)),
    'alerts.notices': (emit) => bus.on('noticeRaised', (e) => emit(e.notice)),
  }
}

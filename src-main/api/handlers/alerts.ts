import type { HandlerSlice } from '../router'
import type { StreamSources } from '../streams'
import type { EventBus } from '../../bus'
import type { AlertEngine } from '../../alerts/engine'
import type { EmailChannel } from '../../alerts/email'
import type { RiskAlertEngine } from '../../alerts/risk-engine'

export function alertsHandlers(
  alerts: AlertEngine,
  email: EmailChannel,
  risk: RiskAlertEngine,
): HandlerSlice<
  'alerts.create' | 'alerts.cancel' | 'alerts.amend' | 'alerts.list' | 'alerts.events' | 'alerts.emailGet' | 'alerts.emailSet' | 'alerts.emailTest' | 'alerts.riskCreate' | 'alerts.riskCancel' | 'alerts.riskList'
> {
  return {
    'alerts.create': (input) => alerts.create(input),
    'alerts.cancel': ({ id }) => alerts.cancel(id),
    'alerts.amend': ({ id, price }) => alerts.amend(id, price),
    'alerts.list': (q) => alerts.list(q),
    'alerts.events': ({ limit }) => alerts.events(limit),
    'alerts.emailGet': () => email.view(),
    'alerts.emailSet': (input) => email.set(input),
    'alerts.emailTest': () => email.test(),
    'alerts.riskCreate': (input) => risk.create(input),
    'alerts.riskCancel': ({ id }) => risk.cancel(id),
    'alerts.riskList': (q) => risk.list(q),
  }
}

export function alertsSources(bus: EventBus): Pick<StreamSources, 'alerts.changed' | 'alerts.fired' | 'alerts.notices' | 'alerts.riskChanged'> {
  return {
    'alerts.riskChanged': (emit) => bus.on('riskAlertChanged', (e) => emit(e.view)),
    'alerts.changed': (emit) => bus.on('alertChanged', (e) => emit(e.view)),
    'alerts.fired': (emit) => bus.on('alertFired', (e) => emit(e.event)),
    'alerts.notices': (emit) => bus.on('noticeRaised', (e) => emit(e.notice)),
  }
}

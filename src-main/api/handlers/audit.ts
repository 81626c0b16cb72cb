import type { HandlerSlice } from '../router'
import type { StreamSources } from '../streams'
import type { EventBus } from '../../bus'
import type { AuditLog } from '../../audit/log'

/** The audit log: pages of it, its chain checked, and its CSV. */
export function auditHandlers(audit: AuditLog): HandlerSlice<'audit.list' | 'audit.verify' | 'audit.export'> {
  return {
    'audit.list': (query) => audit.list(query),
    'audit.verify': () => audit.verify(),
    'audit.export': () => audit.exportCsv(),
  }
}

export function auditSources(bus: EventBus): Pick<StreamSources, 'audit.recorded'> {
  return { 'audit.recorded': (emit) => bus.on('auditRecorded', (e) => emit(e.entry)) }
}

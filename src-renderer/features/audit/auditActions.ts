import type { Action } from '../../app/hotkeys/registry'
import { navigate } from '../../app/router'
import { useAudit } from './auditStore'

export const AUDIT_PAGE = 'audit'

/** The Audit log page's commands, from anywhere (palette): they open the page and act there. */
export function auditActions(): Action[] {
  const onPage = (run: () => void) => () => {
    navigate(AUDIT_PAGE)
    run()
  }
  return [
    { id: 'audit.verify', title: 'Check the audit log’s hash chain', section: 'Audit', run: onPage(() => void useAudit.getState().check()) },
    { id: 'audit.export', title: 'Export the audit log as CSV', section: 'Audit', run: onPage(() => void useAudit.getState().exportCsv()) },
  ]
}

import { dismissRecovered, useWorkspace } from './workspaceStore'
import { recoveredNotice } from './recovered'
import './recovered.css'

/** Above the workspace: the stored layout did not validate, what was left out, and where it is kept. */
export function RecoveredNotice() {
  const recovered = useWorkspace((s) => s.recovered)
  if (!recovered) return null
  const { title, lines, kept } = recoveredNotice(recovered)
  return (
    <div className="ws-recovered" role="alert" data-testid="workspace-recovered">
      <div>
        <strong>{title}</strong>
        <ul>
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        <p>{kept}</p>
      </div>
      <button type="button" className="btn btn-small" onClick={dismissRecovered} data-testid="workspace-recovered-dismiss">
        Dismiss
      </button>
    </div>
  )
}

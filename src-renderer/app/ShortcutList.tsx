import { useActions } from './hotkeys/useActions'
import type { Action } from './hotkeys/registry'
import { KeyHints } from '../ui/Kbd'

/** Every registered action grouped by section, with its keys (or "palette" when it has none). */
export function ShortcutList() {
  const actions = useActions()
  const sections = new Map<string, Action[]>()
  for (const action of actions) sections.set(action.section, [...(sections.get(action.section) ?? []), action])
  return (
    <table className="grid-table shortcut-table" data-testid="shortcut-list">
      {[...sections].map(([section, list]) => (
        <tbody key={section}>
          <tr>
            <th colSpan={2} scope="rowgroup" className="group-row">
              {section}
            </th>
          </tr>
          {list.map((action) => (
            <tr key={action.id}>
              <td>{action.title}</td>
              <td className="cell-right">
                {action.keys && action.keys.length > 0 ? (
                  <KeyHints keys={action.keys} />
                ) : (
                  <span className="muted">palette</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  )
}

import { pages } from './pages'
import { useRoute } from './router'
import { KeyHints } from '../ui/Kbd'
import { useEngine } from '../features/engine/engineStore'

/** Page navigation. Hidden with Mod+B (the workspace.sidebar setting). */
export function Sidebar() {
  const page = useRoute((s) => s.page)
  const go = useRoute((s) => s.go)
  const name = useEngine((s) => s.info?.name)
  return (
    <nav className="sidebar" aria-label="Pages" tabIndex={-1} data-focus-region data-testid="sidebar">
      <div className="brand">{name}</div>
      <ul className="nav-list">
        {pages.map((p) => (
          <li key={p.id}>
            <button
              type="button"
              className="nav-item"
              aria-current={p.id === page ? 'page' : undefined}
              onClick={() => go(p.id)}
              data-testid={`nav-${p.id}`}
            >
              <span className="nav-mark" aria-hidden="true">
                {p.mark}
              </span>
              <span className="nav-title">{p.title}</span>
              <KeyHints keys={p.keys} />
            </button>
          </li>
        ))}
      </ul>
    </nav>
  )
}

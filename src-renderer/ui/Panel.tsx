import { useId, type ReactNode } from 'react'

interface PanelProps {
  title: string
  /** Small controls or facts shown at the right of the title bar. */
  tools?: ReactNode
  children: ReactNode
  testId?: string
}

/** A titled frame. It is a focus region: F6 / Shift+F6 move focus between regions. */
export function Panel({ title, tools, children, testId }: PanelProps) {
  const titleId = useId()
  return (
    <section className="panel" aria-labelledby={titleId} tabIndex={-1} data-focus-region data-testid={testId}>
      <header className="panel-head">
        <h2 className="panel-title" id={titleId}>
          {title}
        </h2>
        {tools ? <div className="panel-tools">{tools}</div> : null}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  )
}

/** What a panel shows when there is honestly nothing (or not yet anything) to show. */
export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>
}

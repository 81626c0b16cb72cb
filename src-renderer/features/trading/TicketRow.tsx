import type { ReactNode } from 'react'

// The ticket's rows: a label, the control(s), and the messages about the field right below them.

export function FieldNote({ id, messages, testId }: { id: string; messages: string[] | undefined; testId?: string }) {
  if (!messages || messages.length === 0) return null
  return (
    <div className="ot-note inline-error" id={id} role="alert" data-testid={testId}>
      {messages.map((m) => (
        <div key={m}>{m}</div>
      ))}
    </div>
  )
}

/** Label, control and the messages about it, on one row of the ticket. */
export function TicketRow({
  label,
  htmlFor,
  messages,
  noteId,
  testId,
  hint,
  children,
}: {
  label: string
  htmlFor?: string
  messages?: string[]
  noteId: string
  testId?: string
  /** A remark about what was typed that stops nothing (the engine's refusals are `messages`). */
  hint?: { id: string; text: string; testId: string } | null
  children: ReactNode
}) {
  return (
    <>
      <label className="form-label" htmlFor={htmlFor}>
        {label}
      </label>
      <div className="form-field">
        <div className="ot-control">{children}</div>
        <FieldNote id={noteId} messages={messages} testId={testId} />
        {hint ? (
          <p className="form-hint warn-text" id={hint.id} data-testid={hint.testId}>
            {hint.text}
          </p>
        ) : null}
      </div>
    </>
  )
}

/** Props of a number input of the ticket: marked invalid when the field has messages. */
export function numberInput(id: string, messages: string[] | undefined, noteId: string, hintId?: string) {
  const invalid = messages !== undefined && messages.length > 0
  return {
    id,
    className: 'input input-number ot-number',
    inputMode: 'decimal' as const,
    autoComplete: 'off',
    spellCheck: false,
    'data-ticket-field': true,
    'aria-invalid': invalid ? true : undefined,
    'aria-describedby': [invalid ? noteId : null, hintId ?? null].filter((x) => x !== null).join(' ') || undefined,
  }
}

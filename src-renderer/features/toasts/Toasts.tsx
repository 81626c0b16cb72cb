import { useToasts, type Toast } from './toastStore'

/**
 * Bottom-right stack of action results. Errors are announced at once (an assertive region, role alert),
 * the rest politely (role status). Each is its own region, always on the page so screen readers are
 * listening before a toast arrives, and neither inside the other (a polite region around the errors
 * would announce them politely as well). aria-atomic off: only the toast just added is read.
 */
export function Toasts() {
  const toasts = useToasts((s) => s.toasts)
  return (
    <div className="toasts" data-testid="toasts">
      <div className="toast-group" role="status" aria-atomic="false">
        {toasts.filter((t) => t.kind !== 'error').map((t) => (
          <ToastItem key={t.id} toast={t} />
        ))}
      </div>
      <div className="toast-group" role="alert" aria-atomic="false">
        {toasts.filter((t) => t.kind === 'error').map((t) => (
          <ToastItem key={t.id} toast={t} />
        ))}
      </div>
    </div>
  )
}

function ToastItem({ toast: t }: { toast: Toast }) {
  const dismiss = useToasts((s) => s.dismiss)
  return (
    <div className={`toast toast-${t.kind}`} data-testid="toast" data-kind={t.kind}>
      <div className="toast-text">
        <div className="toast-title">{t.title}</div>
        {t.detail ? <div className="toast-detail">{t.detail}</div> : null}
      </div>
      <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
        ×
      </button>
    </div>
  )
}

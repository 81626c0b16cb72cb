import { useState, type FormEvent, type ReactNode } from 'react'
import { splitEngineMessage, messageOf, type SplitMessage } from './engineMessage'

const noErrors: SplitMessage = { fields: {}, general: null }

/**
 * A form's sending: one request at a time, the engine's refusal split over the form's fields
 * (shown under each as `${prefix}-${field}-error`) and the rest kept as the general error.
 */
export function useEngineForm<F extends string>(prefix: string, fields: readonly F[]) {
  const [errors, setErrors] = useState<SplitMessage>(noErrors)
  const [busy, setBusy] = useState(false)
  const submit = (send: () => Promise<void>) => async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    setBusy(true)
    setErrors(noErrors)
    try {
      await send()
    } catch (err) {
      setErrors(splitEngineMessage(messageOf(err), fields))
    } finally {
      setBusy(false)
    }
  }
  const fieldError = (f: F): ReactNode =>
    errors.fields[f] ? (
      <p className="inline-error" role="alert" data-testid={`${prefix}-${f}-error`}>
        {errors.fields[f]}
      </p>
    ) : null
  /** The refusal's part that names no field, across the form (`${prefix}-error`). */
  const generalError = (): ReactNode =>
    errors.general ? (
      <p className="inline-error form-wide" role="alert" data-testid={`${prefix}-error`}>
        {errors.general}
      </p>
    ) : null
  return { busy, errors, submit, fieldError, generalError }
}

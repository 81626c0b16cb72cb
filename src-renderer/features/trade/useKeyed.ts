import { useCallback, useState } from 'react'

/**
 * State that belongs to one key (a market, a market and timeframe): when the key changes the value reads
 * as `initial` again without an effect resetting it. `initial` must be a stable (module-level) value.
 */
export function useKeyed<T>(key: string, initial: T): [T, (update: (previous: T) => T) => void] {
  const [state, setState] = useState<{ key: string; value: T }>({ key, value: initial })
  const value = state.key === key ? state.value : initial
  const update = useCallback(
    (fn: (previous: T) => T) => setState((s) => ({ key, value: fn(s.key === key ? s.value : initial) })),
    [key, initial],
  )
  return [value, update]
}

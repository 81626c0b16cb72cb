import { useEffect, useRef, useSyncExternalStore } from 'react'
import { listActions, registerAction, subscribeActions, type Action } from './registry'

/** Every registered action; re-renders when one is added or removed. */
export function useActions(): readonly Action[] {
  return useSyncExternalStore(subscribeActions, listActions)
}

/**
 * Registers an action for as long as the component is mounted. `run` and `enabled` may change on
 * every render without re-registering: the registry calls the latest ones.
 */
export function useAction(action: Action): void {
  const latest = useRef(action)
  useEffect(() => {
    latest.current = action
  })
  const { id, title, section, whileTyping } = action
  const keys = action.keys?.join('\n') ?? ''
  const hasEnabled = action.enabled !== undefined
  useEffect(
    () =>
      registerAction({
        id,
        title,
        section,
        keys: keys ? keys.split('\n') : [],
        whileTyping,
        run: () => latest.current.run(),
        enabled: hasEnabled ? () => latest.current.enabled?.() ?? true : undefined,
      }),
    [id, title, section, keys, whileTyping, hasEnabled],
  )
}

// Electron IPC channel names shared by the shell's binding and the preload. Plain data, no imports.
export const IPC = {
  invoke: 'co:invoke',
  subscribe: 'co:subscribe',
  unsubscribe: 'co:unsubscribe',
  event: 'co:event',
} as const

// Decides how the native modules (better-sqlite3, keytar) must be rebuilt for a target runtime.
// Node (tests, headless, CLI) and Electron (the desktop app) need different ABIs of the same modules.

export const NATIVE_MODULES = ['better-sqlite3', 'keytar']

/**
 * @param {'node'|'electron'} target
 * @param {{ marker: string | null, loadsInNode: boolean, nodeAbi: string, electronVersion: string | null }} state
 * @returns {{ action: 'none' | 'rebuild-node' | 'rebuild-electron', marker: string }}
 */
export function planNative(target, state) {
  if (target === 'node') {
    // Loading the modules in this very Node is the ground truth; the marker is only a hint.
    const marker = `node-${state.nodeAbi}`
    return { action: state.loadsInNode ? 'none' : 'rebuild-node', marker }
  }
  if (!state.electronVersion) throw new Error('electron is not installed: run npm install')
  const marker = `electron-${state.electronVersion}`
  return { action: state.marker === marker ? 'none' : 'rebuild-electron', marker }
}

import type { MenuItemConstructorOptions } from 'electron'

/**
 * The packaged app's menu: Electron's default one minus Reload, Force Reload and Toggle Developer Tools
 * (a reload drops the page's state, DevTools would open the renderer to whoever sits at the screen). The
 * Edit menu stays: on macOS it carries the copy, paste and undo keys.
 */
export function appMenuTemplate(platform: NodeJS.Platform, appName: string): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin'
  return [
    mac
      ? {
          label: appName,
          submenu: [
            { role: 'about' },
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        }
      : { label: 'File', submenu: [{ role: 'quit' }] },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ]
}

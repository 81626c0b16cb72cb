import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { electronImportViolations } from '../support/electron-imports'
import { projectRoot, tempDir } from '../support/temp-core'

// House rule 1: only src-main/shell/ imports electron; the engine and renderer run in plain Node/browsers.
describe('electron stays at the door', () => {
  it('no engine or renderer file outside src-main/shell/ imports electron', () => {
    const roots = [path.join(projectRoot, 'src-main'), path.join(projectRoot, 'src-renderer')]
    expect(electronImportViolations(roots, [path.join(projectRoot, 'src-main', 'shell')])).toEqual([])
  })

  it('the check catches every import form', () => {
    const dir = tempDir('co-boundary-')
    const forms = {
      'static.ts': "import { app } from 'electron'\n",
      'type-only.ts': "import type { BrowserWindow } from 'electron'\n",
      'require.ts': "const { ipcMain } = require('electron')\n",
      'dynamic.ts': "export const load = () => import('electron/main')\n",
      'reexport.tsx': "export { shell } from 'electron'\n",
      'fine.ts': "import path from 'node:path'\n// 'electron' in a comment is fine\nexport const p = path.sep\n",
    }
    for (const [name, text] of Object.entries(forms)) fs.writeFileSync(path.join(dir, name), text)
    fs.mkdirSync(path.join(dir, 'shell'))
    fs.writeFileSync(path.join(dir, 'shell', 'ok.ts'), "import { app } from 'electron'\n")
    const found = electronImportViolations([dir], [path.join(dir, 'shell')]).map((f) => path.basename(f)).sort()
    expect(found).toEqual(['dynamic.ts', 'reexport.tsx', 'require.ts', 'static.ts', 'type-only.ts'])
  })
})

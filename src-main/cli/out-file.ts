import fs from 'node:fs'

// A file a command writes (tax --out) never replaces one already there — as backup refuses its target —
// and never appears half-written under its name: written beside it first, then renamed.

const exists = (command: string, file: string) => new Error(`${command}: ${file} already exists; choose another name or delete it`)

/** Refuses an existing target before any work is done. */
export function refuseExisting(command: string, file: string): void {
  if (fs.existsSync(file)) throw exists(command, file)
}

export function writeNewFile(command: string, file: string, data: string | Buffer): void {
  refuseExisting(command, file)
  const partial = `${file}.partial`
  try {
    fs.writeFileSync(partial, data)
    // Checked again: another process may have made the file while this one was writing.
    refuseExisting(command, file)
    fs.renameSync(partial, file)
  } finally {
    fs.rmSync(partial, { force: true })
  }
}

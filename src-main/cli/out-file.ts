import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'

// A file a command writes (tax --out) never replaces one already there — as backup refuses its target —
// and never appears half-written under its name: written beside it first under a temporary name of its own
// (made new, so no file of the user's is ever overwritten or removed), then renamed. The folder is checked
// before any work is done, and every failure names the file the user asked for.

const exists = (command: string, file: string) => new Error(`${command}: ${file} already exists; choose another name or delete it`)

/** Refuses an existing target, or a folder that cannot take it, before any work is done. */
export function checkTarget(command: string, file: string): void {
  if (fs.existsSync(file)) throw exists(command, file)
  const dir = path.dirname(file)
  const cannot = (why: string) => new Error(`${command}: cannot write ${file}: ${why}`)
  let stat: fs.Stats
  try {
    stat = fs.statSync(dir)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw cannot(`the folder ${dir} does not exist`)
    if (code === 'ENOTDIR') throw cannot(`${nearestFile(dir)} is not a folder`)
    throw cannot(reason(err))
  }
  if (!stat.isDirectory()) throw cannot(`${dir} is not a folder`)
  try {
    fs.accessSync(dir, fs.constants.W_OK)
  } catch {
    throw cannot(`the folder ${dir} is not writable (permission denied)`)
  }
}

export function writeNewFile(command: string, file: string, data: string | Buffer): void {
  checkTarget(command, file)
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
  let made = false
  try {
    // 'wx': a new file or an error, never someone else's.
    const fd = fs.openSync(temp, 'wx')
    made = true
    try {
      fs.writeFileSync(fd, data)
    } finally {
      fs.closeSync(fd)
    }
    // Checked again: another process may have made the file while this one was writing.
    if (fs.existsSync(file)) throw exists(command, file)
    fs.renameSync(temp, file)
    made = false
  } catch (err) {
    if (err instanceof Error && err.message.startsWith(`${command}: `)) throw err
    throw new Error(`${command}: could not write ${file}: ${reason(err)}`)
  } finally {
    if (made) fs.rmSync(temp, { force: true })
  }
}

/** A write error in words (the temporary file's name is not the user's business). */
function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code
  switch (code) {
    case 'ENOSPC':
      return 'the disk is full'
    case 'EDQUOT':
      return 'the disk quota is used up'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EROFS':
      return 'the disk is read-only'
    default:
      // "EIO: i/o error, write": the code and its words, without the temporary file's path.
      return err instanceof Error ? (err.message.split(',')[0] ?? err.message) : String(err)
  }
}

/** The deepest existing part of a path (the file that stands where a folder was expected). */
function nearestFile(p: string): string {
  let at = p
  while (!fs.existsSync(at) && path.dirname(at) !== at) at = path.dirname(at)
  return at
}

import { fail } from '../api/errors'
import type { Router } from '../api/router'
import type { StreamHub } from '../api/streams'
import type { CommandName, StreamName } from '../api/names'
import type { LockService } from './service'
import type { AlertEvent, Notice } from '../api/schemas/alerts'
import { redactAlertEvent, redactNotice } from './redact'

// While the app is locked, a screen gets only what the lock screen needs: the app's name, the settings
// (theme, font size), the lock's state and the unlock itself. Every other command is refused with LOCKED,
// no other stream opens, and the events of streams opened before the lock are held back (the screen
// reloads after unlocking). The CLI works on the files directly and is not a screen.
// Fired alerts and notices are the exception: they pass, opened before or during the lock, but redacted
// (redact.ts), so a headless tab can still raise its browser notice that something happened.

const OPEN_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>(['app.info', 'settings.list', 'lock.status', 'lock.unlock', 'lock.activity'])
const OPEN_STREAMS: ReadonlySet<StreamName> = new Set<StreamName>(['lock.changed', 'settings.changed'])
const REDACTED_STREAMS: ReadonlyMap<StreamName, (payload: unknown) => unknown> = new Map<StreamName, (payload: unknown) => unknown>([
  ['alerts.fired', (p) => redactAlertEvent(p as AlertEvent)],
  ['alerts.notices', (p) => redactNotice(p as Notice)],
])
const LOCKED_MESSAGE = 'The app is locked: unlock it with your passphrase'

export function lockedRouter(inner: Router, lock: LockService): Router {
  return {
    invoke(name, input, ctx) {
      if (lock.isLocked() && ctx.door !== 'cli' && !OPEN_COMMANDS.has(name as CommandName)) return Promise.resolve(fail('LOCKED', LOCKED_MESSAGE))
      return inner.invoke(name, input, ctx)
    },
  }
}

export function lockedStreams(inner: StreamHub, lock: LockService): StreamHub {
  return {
    open(name, params, emit) {
      const redact = REDACTED_STREAMS.get(name as StreamName)
      if (redact) return inner.open(name, params, (payload) => emit(lock.isLocked() ? redact(payload) : payload))
      const open = OPEN_STREAMS.has(name as StreamName)
      if (!open && lock.isLocked()) return fail('LOCKED', LOCKED_MESSAGE)
      return inner.open(name, params, open ? emit : (payload) => !lock.isLocked() && emit(payload))
    },
  }
}

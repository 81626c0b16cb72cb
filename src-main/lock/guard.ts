import { fail } from '../api/errors'
import type { Router } from '../api/router'
import type { StreamHub } from '../api/streams'
import type { CommandName, StreamName } from '../api/names'
import type { LockService } from './service'
import type { AlertEvent, Notice } from '../api/schemas/alerts'
import type { LockStatus } from '../api/schemas/lock'
import { redactAlertEvent, redactNotice } from './redact'

// While the app is locked, a screen gets only what the lock screen needs: the app's name, the settings
// (theme, font size), the lock's state and the unlock itself. Every other command is refused with LOCKED,
// no other stream opens, and the events of streams opened before the lock are held back (the screen
// reloads after unlocking). The CLI works on the files directly and is not a screen.
// Fired alerts and notices are the exception: they pass, opened before or during the lock, but redacted
// (redact.ts), so a headless tab can still raise its browser notice that something happened.
// "Locked" is as the screen asking sees it: the engine-wide lock, or that screen's own idle lock.

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
      if (lock.isLocked(ctx.screen) && ctx.door !== 'cli' && !OPEN_COMMANDS.has(name as CommandName)) return Promise.resolve(fail('LOCKED', LOCKED_MESSAGE))
      return inner.invoke(name, input, ctx)
    },
  }
}

/** The streams one screen may open (`screen` from LockService.openScreen; none: the engine-wide lock only). */
export function lockedStreams(inner: StreamHub, lock: LockService, screen?: number): StreamHub {
  const locked = () => lock.isLocked(screen)
  return {
    open(name, params, emit) {
      const redact = REDACTED_STREAMS.get(name as StreamName)
      if (redact) return inner.open(name, params, (payload) => emit(locked() ? redact(payload) : payload))
      // The lock's events carry the engine-wide status: each screen is told whether it is locked itself.
      if (name === 'lock.changed') return inner.open(name, params, (payload) => emit({ ...(payload as LockStatus), locked: locked() }))
      const open = OPEN_STREAMS.has(name as StreamName)
      if (!open && locked()) return fail('LOCKED', LOCKED_MESSAGE)
      return inner.open(name, params, open ? emit : (payload) => !locked() && emit(payload))
    },
  }
}

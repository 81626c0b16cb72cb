import type { WorkspaceSaved } from '../../../src-main/api/contract'

// What the Trade page says when the stored layout no longer validated and the engine answered what still
// read of it (workspace.get's `recovered`). Pure, tested in Node.

export type Recovered = NonNullable<WorkspaceSaved['recovered']>

/** Lines shown before the rest is summed up: the notice must not push the workspace off the screen. */
const SHOWN = 5

export function recoveredNotice(recovered: Recovered): { title: string; lines: string[]; kept: string } {
  const whole = recovered.dropped.some((line) => line.startsWith('the whole layout:'))
  const { dropped } = recovered
  const lines = dropped.length > SHOWN + 1 ? [...dropped.slice(0, SHOWN), `…and ${dropped.length - SHOWN} more`] : dropped
  return {
    title: whole
      ? 'Your saved Trade layout could not be read; the first layout is shown'
      : 'Part of your saved Trade layout could not be read and was left out',
    lines,
    kept: `The layout as it was stored is kept as “${recovered.keptAs}” when this one is next saved.`,
  }
}

import { flushSync } from 'react-dom'
import { api } from '../../api'
import type { Action } from '../../app/hotkeys/registry'
import { navigate, useRoute } from '../../app/router'
import { toast } from '../toasts/toastStore'
import { askConfirm } from '../trading/ConfirmDialog'
import { focusId } from '../trading/tradingActions'
import { useTraderSelection } from '../traders/TradersPage'
import { canPause, canResume } from './copyModel'
import { closeSummary, simTraderOf } from './copyLabels'
import { messageOf, reloadFollows, useCopy } from './copyStore'
import { useFollowForm } from './followFormStore'
import { COPY_IDS, COPY_PAGE, fieldDomId } from './copyIds'
import type { FollowView } from '../../../src-main/api/schemas/copy'

// The copy trading actions, for the tables' keys and the palette: follow a leader, pause / resume / edit /
// unfollow a relationship, and focus each part of the page.

function showPage(): void {
  if (useRoute.getState().page !== COPY_PAGE) flushSync(() => navigate(COPY_PAGE))
}

function showAndFocus(id: string, select = false): void {
  showPage()
  focusId(id, select)
}

/** The Follow form, filled for this leader; focus on the first setting to choose (the sizing value). */
export function followLeader(leaderId: string): void {
  useCopy.getState().selectLeader(leaderId)
  // Drawn at once, so the field to focus is there.
  flushSync(() => useFollowForm.getState().startNew(leaderId))
  showPage()
  const { draft } = useFollowForm.getState()
  focusId(fieldDomId(draft.sizingMode === 'proportional' ? 'allocationPct' : 'sizingValue'), true)
}

/** The Follow form for the selected leader (or the one chosen last). */
export function openFollowForm(): void {
  const { leaders, selectedLeader } = useCopy.getState()
  const leader = leaders.find((l) => l.id === selectedLeader)?.id ?? useFollowForm.getState().draft.leaderId
  flushSync(() => useFollowForm.getState().startNew(leader))
  showAndFocus(fieldDomId(leader ? 'sizingValue' : 'leaderId'), true)
}

/** A simulated trader leader on the Traders page. */
export function showTrader(leaderId: string): void {
  const trader = simTraderOf(leaderId)
  if (!trader) return
  useTraderSelection.getState().select(trader)
  navigate('traders')
  focusId('traders-table')
}

const follow = (id: string): FollowView | undefined => useCopy.getState().follows.find((f) => f.id === id)

export async function pauseFollow(id: string): Promise<void> {
  try {
    useCopy.getState().followChanged(await api.invoke('copy.pause', { id }))
  } catch (err) {
    toast.error('Not paused', messageOf(err))
  }
}

export async function resumeFollow(id: string): Promise<void> {
  try {
    useCopy.getState().followChanged(await api.invoke('copy.resume', { id }))
  } catch (err) {
    toast.error('Not resumed', messageOf(err))
  }
}

/** P on a relationship: pauses an active one, resumes a paused one (one stopped by its stop-loss after a confirm). */
export async function togglePause(id: string): Promise<void> {
  const f = follow(id)
  if (!f) return
  if (canPause(f)) await pauseFollow(id)
  else if (f.status === 'stopped' && canResume(f)) resumeAfterStop(f)
  else if (canResume(f)) await resumeFollow(id)
  else toast.info(`This relationship has ended`, f.statusReason ?? 'It can no longer be paused or resumed.')
}

/**
 * The total stop-loss stopped it: resuming overrides that stop, so it asks first. The engine refuses while
 * the loss still reaches the stop-loss (the next copy would stop it again); its words show in the dialog.
 */
function resumeAfterStop(f: FollowView): void {
  const stop = f.settings.totalStopLoss
  askConfirm({
    title: `Resume copying ${f.leaderLabel}?`,
    body:
      `${f.statusReason ?? 'It was stopped.'} ` +
      (stop === null
        ? 'The total stop-loss is cleared now: copying starts again with the next leader trade.'
        : `Copying starts again with the next leader trade, until the copies' loss reaches the stop-loss of ${stop} again. Still past it? Edit the settings (E) and raise it first.`),
    confirmLabel: 'Resume',
    run: async () => {
      useCopy.getState().followChanged(await api.invoke('copy.resume', { id: f.id }))
      focusId(COPY_IDS.follows)
    },
  })
}

/** The relationship's settings in the Follow form, focus on its first editable field. */
export function editFollow(id: string): void {
  const f = follow(id)
  if (!f) return
  flushSync(() => useFollowForm.getState().startEdit(f))
  showPage()
  const { draft } = useFollowForm.getState()
  focusId(fieldDomId(draft.sizingMode === 'proportional' ? 'sizingMode' : 'sizingValue'), true)
}

export function unfollow(id: string): void {
  const f = follow(id)
  if (!f) return
  askConfirm({
    title: `Unfollow ${f.leaderLabel}?`,
    body: `${f.followerLabel} stops copying ${f.leaderLabel}. Its copy records stay; positions already copied are left as they are unless you tick the box.`,
    confirmLabel: 'Unfollow',
    option: { label: 'Also sell what the copies hold (a market sell per market; risk checks apply)', testId: 'copy-unfollow-close' },
    run: async (closePositions) => {
      const { closes, ...view } = await api.invoke('copy.unfollow', { id, closePositions })
      useCopy.getState().followChanged(view)
      if (useFollowForm.getState().editing === id) useFollowForm.getState().close()
      await reloadFollows()
      const done = `${view.followerLabel} no longer copies it.`
      if (!closePositions) toast.success(`Unfollowed ${view.leaderLabel}`, done)
      else {
        const s = closeSummary(closes)
        ;(s.ok ? toast.success : toast.error)(`Unfollowed ${view.leaderLabel}; ${s.title}`, `${done} ${s.lines.join('; ')}`)
      }
      focusId(COPY_IDS.follows)
    },
  })
}

/** The selected relationship, or the first one. */
const selectedFollow = (): string | null => {
  const { follows, selectedFollow: id } = useCopy.getState()
  return follows.find((f) => f.id === id)?.id ?? follows[0]?.id ?? null
}

export function copyActions(): Action[] {
  const onFollow = (run: (id: string) => void | Promise<void>) => () => {
    const id = selectedFollow()
    if (id) return run(id)
  }
  const hasFollow = () => useCopy.getState().follows.length > 0
  return [
    { id: 'copy.follow', title: 'Copy: follow a leader…', section: 'Copy trading', run: openFollowForm },
    { id: 'copy.leaders', title: 'Copy: focus leaders', section: 'Copy trading', run: () => showAndFocus(COPY_IDS.leaders) },
    { id: 'copy.follows', title: 'Copy: focus relationships', section: 'Copy trading', run: () => showAndFocus(COPY_IDS.follows) },
    { id: 'copy.records', title: 'Copy: focus copy records', section: 'Copy trading', run: () => showAndFocus(COPY_IDS.records) },
    { id: 'copy.recordsFilter', title: 'Copy: records of one relationship or all', section: 'Copy trading', run: () => showAndFocus(COPY_IDS.recordsFilter) },
    { id: 'copy.drift', title: 'Copy: focus drift (follower vs leader)', section: 'Copy trading', run: () => showAndFocus(COPY_IDS.drift) },
    { id: 'copy.pauseResume', title: 'Copy: pause or resume the selected relationship', section: 'Copy trading', enabled: hasFollow, run: onFollow(togglePause) },
    { id: 'copy.edit', title: 'Copy: edit the selected relationship’s settings', section: 'Copy trading', enabled: hasFollow, run: onFollow(editFollow) },
    { id: 'copy.unfollow', title: 'Copy: unfollow the selected relationship…', section: 'Copy trading', enabled: hasFollow, run: onFollow(unfollow) },
  ]
}

import { create } from 'zustand'
import { api } from '../../api'
import { toast } from '../toasts/toastStore'
import { draftOf, emptyDraft, followInput, splitRefusal, type FieldMessages, type FollowDraft } from './followForm'
import { messageOf, useCopy } from './copyStore'
import type { FollowView } from '../../../src-main/api/schemas/copy'

// The Follow form's state: what is typed, whether it edits a relationship (copy.update) or starts one
// (copy.follow), and the messages next to its fields. Kept outside the component so the palette and the
// tables' keys can fill it (follow this leader, edit this relationship) from anywhere.

interface FollowFormState {
  draft: FollowDraft
  /** The relationship being edited, or null for a new follow. */
  editing: string | null
  messages: FieldMessages
  busy: boolean
  /** Whether the form is on screen (it opens to follow or edit and closes once sent or dropped). */
  open: boolean
  set(patch: Partial<FollowDraft>): void
  /** A fresh form (for this leader, when given), keeping the chosen follower account. */
  startNew(leaderId?: string): void
  startEdit(view: FollowView): void
  close(): void
}

export const useFollowForm = create<FollowFormState>()((set, get) => ({
  draft: emptyDraft(),
  editing: null,
  messages: {},
  busy: false,
  open: false,
  set(patch) {
    // A changed field's message is out of date; the others stay until the next send.
    const messages = { ...get().messages }
    for (const key of Object.keys(patch)) delete messages[key as keyof FieldMessages]
    if ('symbolMap' in patch) for (const key of Object.keys(messages)) if (key.startsWith('symbolMap')) delete messages[key as keyof FieldMessages]
    set((s) => ({ draft: { ...s.draft, ...patch }, messages }))
  },
  startNew(leaderId) {
    const { draft } = get()
    set({ draft: emptyDraft(leaderId ?? draft.leaderId, draft.followerVenueId), editing: null, messages: {}, open: true })
  },
  startEdit(view) {
    set({ draft: draftOf(view.settings), editing: view.id, messages: {}, open: true })
  },
  close() {
    set({ editing: null, messages: {}, open: false })
  },
}))

export type SendOutcome = 'sent' | 'missing' | 'refused' | 'busy'

/** Sends the form (copy.follow, or copy.update when editing); a refusal is shown next to its fields. */
export async function sendFollowForm(): Promise<SendOutcome> {
  const { draft, editing, busy } = useFollowForm.getState()
  if (busy) return 'busy'
  const shaped = followInput(draft)
  if (!shaped.ok) {
    useFollowForm.setState({ messages: shaped.messages })
    return 'missing'
  }
  useFollowForm.setState({ busy: true, messages: {} })
  try {
    const view = editing
      ? await api.invoke('copy.update', { id: editing, settings: shaped.input })
      : await api.invoke('copy.follow', shaped.input)
    useCopy.getState().followChanged(view)
    useCopy.getState().selectFollow(view.id)
    useFollowForm.setState({ busy: false, editing: null, messages: {}, open: false, draft: emptyDraft(draft.leaderId, draft.followerVenueId) })
    toast.success(editing ? 'Follow settings saved' : `Following ${view.leaderLabel}`, `${view.followerLabel} copies ${view.leaderLabel}`)
    return 'sent'
  } catch (err) {
    useFollowForm.setState({ busy: false, messages: splitRefusal(messageOf(err), shaped.input) })
    return 'refused'
  }
}

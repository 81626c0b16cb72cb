import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { loadRenderer, stubDom } from './renderer-keys-harness'

// The title-bar note of the Fills and Order history lists: a whole list says how many rows it shows; a
// capped one says these are the newest, with Load older (disabled, "Loading…", while a page is on its way).

type Note = (p: { lists: unknown }) => unknown
let notes: { FillsCapNote: Note; HistoryCapNote: Note }

beforeAll(async () => {
  stubDom('other')
  const { api } = await loadRenderer<{ api: { invoke: unknown; subscribe: unknown } }>('api/index.ts')
  api.invoke = () => new Promise(() => undefined)
  api.subscribe = () => () => undefined
  notes = await loadRenderer('features/trading/ListCapNote.tsx')
})
afterAll(() => vi.unstubAllGlobals())

const lists = (over: Record<string, unknown>) => ({ scope: {}, fills: [1, 2], history: [1, 2, 3], fillsMore: false, historyMore: false, loadingOlder: false, loadingOlderHistory: false, ...over })
const draw = (note: Note, over: Record<string, unknown>) => renderToStaticMarkup(createElement(note as never, { lists: lists(over) } as never))

describe('list cap notes', () => {
  it('a whole list says how many it shows, with no button', () => {
    expect(draw(notes.FillsCapNote, {})).toBe('<span class="muted" data-testid="fills-shown">2 shown</span>')
    expect(draw(notes.HistoryCapNote, {})).toBe('<span class="muted" data-testid="history-shown">3 shown</span>')
  })

  it('a capped list says newest N with Load older; while loading the button is disabled and says so', () => {
    const fills = draw(notes.FillsCapNote, { fillsMore: true })
    expect(fills).toContain('newest 2 — ')
    expect(fills).toMatch(/<button type="button" class="btn btn-small" data-testid="fills-load-older">Load older<\/button>/)
    expect(draw(notes.FillsCapNote, { fillsMore: true, loadingOlder: true })).toMatch(/<button[^>]*disabled=""[^>]*data-testid="fills-load-older">Loading…<\/button>/)
    const history = draw(notes.HistoryCapNote, { historyMore: true, loadingOlder: true })
    expect(history).toContain('title="The orders that finished most recently; older ones are kept by the engine"')
    expect(history).toMatch(/data-testid="history-load-older">Load older<\/button>/)
    expect(draw(notes.HistoryCapNote, { historyMore: true, loadingOlderHistory: true })).toMatch(/disabled=""[^>]*data-testid="history-load-older">Loading…/)
  })
})

import { api } from '../../api'
import { messageOf } from './ordersStore'
import { useTicket } from './ticketStore'
import { useTicketMarket } from './ticketMarket'
import { loadVenueMarkets, matchSymbol, onVenueMarkets, venueMarketsOf } from './venueMarkets'

// The ticket's symbol field, when its text is no market of the picker's list: that list holds a venue's first
// 500 markets (none while loading), so before the text is called a typo the engine is asked for it, as a
// chart asks for the facts of a market past the list. A market found becomes the ticket's market.

const QUERY_MAX = 40
/** Drafts being asked of the engine, by seq. */
const asking = new Set<number>()

function pick(venueId: string, symbol: string): void {
  useTicketMarket.getState().setMarket(venueId, symbol)
  useTicket.getState().setSymbolDraft(null)
}

/** Looks the symbol field's draft up: in the venue's list once it is here, else of the engine. */
export function checkSymbolDraft(): void {
  const draft = useTicket.getState().symbolDraft
  if (draft === null || draft.venueId === null || draft.check !== 'checking' || asking.has(draft.seq)) return
  const text = draft.text.trim()
  if (text === '') return
  const { venueId, seq } = draft
  const list = venueMarketsOf(venueId)
  const listed = matchSymbol(list.rows, text)
  if (listed) return pick(venueId, listed.symbol)
  if (!list.loaded) return loadVenueMarkets(venueId) // looked up again when the list arrives
  if (text.length > QUERY_MAX) return useTicket.getState().setSymbolCheck(seq, 'unknown')
  asking.add(seq)
  api
    .invoke('markets.search', { venueId, query: text, limit: 50 })
    .then((rows) => {
      const current = useTicket.getState().symbolDraft
      if (current?.seq !== seq) return
      const found = matchSymbol(rows, text)
      if (found) pick(venueId, found.symbol)
      else useTicket.getState().setSymbolCheck(seq, 'unknown')
    })
    .catch((err: unknown) => useTicket.getState().setSymbolCheck(seq, { error: messageOf(err) }))
    .finally(() => asking.delete(seq))
}

// The venue's list arriving answers a draft typed while it loaded.
onVenueMarkets(checkSymbolDraft)

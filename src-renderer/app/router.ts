import { create } from 'zustand'

// Which page the main area shows. The page id lives in the URL hash so a reload stays on the page;
// the list of pages (titles, keys, components) is in pages.tsx.

export type PageId = string

interface RouteState {
  page: PageId
  go(page: PageId): void
}

const fromHash = (): PageId => decodeURIComponent(location.hash.replace(/^#\/?/, '')) || 'workspace'

export const useRoute = create<RouteState>()((set) => ({
  page: fromHash(),
  go(page) {
    // replaceState keeps the query string (the headless door's token) and adds no history noise.
    history.replaceState(null, '', `${location.pathname}${location.search}#${encodeURIComponent(page)}`)
    set({ page })
  },
}))

export const navigate = (page: PageId) => useRoute.getState().go(page)

// A hash typed in the address bar (the headless door's browser), or a link to '#page', moves the page too.
window.addEventListener('hashchange', () => {
  const page = fromHash()
  if (page !== useRoute.getState().page) useRoute.setState({ page })
})

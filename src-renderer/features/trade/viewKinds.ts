import type { WorkspaceViewKind } from '../../../src-main/api/contract'

// What each kind of workspace view is called, and the test id its frame carries (the same ones the
// single-market page used, so a test that found "the order book" still does).

export interface KindInfo {
  title: string
  /** For the view's own header, where room is short. */
  short: string
  testId: string
}

export const kindInfo: Record<WorkspaceViewKind, KindInfo> = {
  book: { title: 'Order book', short: 'Book', testId: 'panel-book' },
  depth: { title: 'Depth chart', short: 'Depth', testId: 'panel-depth' },
  tape: { title: 'Trades tape', short: 'Tape', testId: 'panel-tape' },
  candles: { title: 'Candle chart', short: 'Candles', testId: 'panel-chart' },
  aggregate: { title: 'Aggregated book', short: 'Aggregate', testId: 'panel-aggregate' },
  orders: { title: 'My orders', short: 'Orders', testId: 'panel-my-orders' },
}

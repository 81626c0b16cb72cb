import { useEffect } from 'react'
import { Group, Panel as Pane, useDefaultLayout } from 'react-resizable-panels'
import { api } from '../../api'
import { Splitter } from '../../ui/Splitter'
import { Kbd } from '../../ui/Kbd'
import { EmptyState } from '../../ui/Panel'
import { formatAtStep, formatPercent, signOf } from '../../ui/decimal'
import { useOverlay } from '../../app/overlays'
import { groupParam } from './book'
import { useBookFeed, useMarketInfo, useMarketListPoll } from './feeds'
import { BookPanel } from './BookPanel'
import { DepthPanel } from './DepthChart'
import { TapePanel } from './TapePanel'
import { CandlePanel } from './CandlePanel'
import { WatchlistPanel } from './WatchlistPanel'
import { AggregatePanel } from './AggregatePanel'
import { FOCUS_IDS } from './tradeActions'
import { useTrade, type MarketRef } from './tradeStore'
import { useKeyed } from './useKeyed'
import type { MarketView, TickerFrame } from '../../../src-main/api/contract'
import './trade.css'

/**
 * One market: watchlist and aggregated book on the left, candles above depth in the middle, the book
 * ladder above the trades tape on the right. The split is screen layout, remembered in localStorage.
 */
export function TradePage() {
  useMarketListPoll()
  const market = useTrade((s) => s.market)
  const multiple = useTrade((s) => s.group)
  const info = useMarketInfo(market)
  const tick = info?.tickSize
  useBookFeed(market, tick ? groupParam(tick, multiple) : undefined)

  const columns = useDefaultLayout({ id: 'trade.columns', storage: localStorage })
  const left = useDefaultLayout({ id: 'trade.left', storage: localStorage })
  const middle = useDefaultLayout({ id: 'trade.middle', storage: localStorage })
  const right = useDefaultLayout({ id: 'trade.right', storage: localStorage })

  return (
    <div className="trade-page" data-testid="trade-page" data-market={market ? `${market.venueId}|${market.symbol}` : ''}>
      <MarketBar market={market} info={info} />
      <Group
        orientation="horizontal"
        className="trade-columns"
        id="trade-columns"
        defaultLayout={columns.defaultLayout}
        onLayoutChanged={columns.onLayoutChanged}
      >
        <Pane id="tr-left" defaultSize="24%" minSize="220px">
          <Group orientation="vertical" id="trade-left" defaultLayout={left.defaultLayout} onLayoutChanged={left.onLayoutChanged}>
            <Pane id="tr-watch" defaultSize="55%" minSize="100px">
              <WatchlistPanel />
            </Pane>
            <Splitter aria-label="Resize Watchlist and Aggregated book" />
            <Pane id="tr-agg" minSize="100px">
              <AggregatePanel info={info} />
            </Pane>
          </Group>
        </Pane>
        <Splitter aria-label="Resize left column and Chart" />
        <Pane id="tr-middle" minSize="300px">
          <Group orientation="vertical" id="trade-middle" defaultLayout={middle.defaultLayout} onLayoutChanged={middle.onLayoutChanged}>
            <Pane id="tr-chart" defaultSize="68%" minSize="160px">
              <CandlePanel market={market} info={info} />
            </Pane>
            <Splitter aria-label="Resize Chart and Depth" />
            <Pane id="tr-depth" minSize="80px">
              <DepthPanel />
            </Pane>
          </Group>
        </Pane>
        <Splitter aria-label="Resize Chart and Order book" />
        <Pane id="tr-right" defaultSize="26%" minSize="240px">
          <Group orientation="vertical" id="trade-right" defaultLayout={right.defaultLayout} onLayoutChanged={right.onLayoutChanged}>
            <Pane id="tr-book" defaultSize="64%" minSize="160px">
              {market ? <BookPanel info={info} /> : <EmptyState>No market.</EmptyState>}
            </Pane>
            <Splitter aria-label="Resize Order book and Trades" />
            <Pane id="tr-tape" minSize="80px">
              <TapePanel market={market} info={info} />
            </Pane>
          </Group>
        </Pane>
      </Group>
    </div>
  )
}

/** The market's name and ticker (market.ticker stream), the ticket price, and the way to another market. */
function MarketBar({ market, info }: { market: MarketRef | null; info: MarketView | null }) {
  const ticketPrice = useTrade((s) => s.ticketPrice)
  const setTicketPrice = useTrade((s) => s.setTicketPrice)
  const show = useOverlay((s) => s.show)
  const ticker = useTicker(market)
  const tick = info?.tickSize ?? '0.01'
  const change = ticker?.changePct24h ?? info?.changePct24h ?? null
  const sign = signOf(change)
  const last = ticker?.last ?? info?.last ?? null
  return (
    <div className="trade-bar toolbar" data-testid="market-bar">
      {market ? (
        <>
          <span className="trade-symbol" data-testid="trade-symbol">
            {market.symbol}
          </span>
          <span className="muted">{info?.venueLabel ?? market.venueId}</span>
          <span className="trade-fact">
            <span className="muted">Last</span>{' '}
            <span className="trade-last" data-testid="trade-last">
              {last === null ? '—' : formatAtStep(last, tick)}
            </span>
          </span>
          <span className={`trade-fact ${sign > 0 ? 'pos' : sign < 0 ? 'neg' : ''}`}>
            <span className="muted">24h</span> {change === null ? '—' : formatPercent(change)}
          </span>
          <span className="trade-fact">
            <span className="muted">High</span> {ticker?.high24h ? formatAtStep(ticker.high24h, tick) : '—'}
          </span>
          <span className="trade-fact">
            <span className="muted">Low</span> {ticker?.low24h ? formatAtStep(ticker.low24h, tick) : '—'}
          </span>
          <span className="trade-fact">
            <span className="muted">Vol</span>{' '}
            {(ticker?.volume24h ?? info?.volume24h) ? formatAtStep((ticker?.volume24h ?? info?.volume24h)!, info?.stepSize ?? '1') : '—'}{' '}
            <span className="muted">{info?.base ?? ''}</span>
          </span>
        </>
      ) : (
        <span className="muted">No market open.</span>
      )}
      <span className="toolbar-spacer" />
      <label htmlFor={FOCUS_IDS.ticket} className="muted">
        Ticket price
      </label>
      <input
        id={FOCUS_IDS.ticket}
        className="input input-number ticket-price"
        inputMode="decimal"
        value={ticketPrice}
        onChange={(e) => setTicketPrice(e.target.value)}
        placeholder="click a level"
        autoComplete="off"
        spellCheck={false}
        data-testid="ticket-price"
      />
      <button type="button" className="btn btn-small" onClick={() => show('market-open')} data-testid="open-market-button">
        Open market… <Kbd combo="Mod+O" />
      </button>
    </div>
  )
}

function useTicker(market: MarketRef | null): TickerFrame | null {
  const venueId = market?.venueId
  const symbol = market?.symbol
  const [ticker, setTicker] = useKeyed<TickerFrame | null>(`${venueId}|${symbol}`, null)
  useEffect(() => {
    if (!venueId || !symbol) return
    let closed = false
    const off = api.subscribe(
      'market.ticker',
      { venueId, symbol },
      (t) => !closed && setTicker(() => t),
      () => undefined,
    )
    return () => {
      closed = true
      off()
    }
  }, [venueId, symbol, setTicker])
  return ticker
}

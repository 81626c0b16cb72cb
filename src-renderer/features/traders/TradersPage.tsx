import { useRef, useState } from 'react'
import { create } from 'zustand'
import { api } from '../../api'
import { Panel, EmptyState } from '../../ui/Panel'
import { Kbd } from '../../ui/Kbd'
import { usePoll } from '../../ui/usePoll'
import { useNow } from '../../ui/useNow'
import { useRowKeys, useSelectedInView } from '../../ui/useRowKeys'
import { formatAgo, formatDateTime, formatTime, zoneLabel } from '../../ui/format'
import { formatDecimal, formatPercent, maxDecimals, signOf } from '../../ui/decimal'
import { useTimeFormat } from '../../app/useTimeFormat'
import { BalanceTable } from '../balances/BalancesPage'
import { followLeader } from '../copy/copyActions'
import type { SimTraderDetail, SimTraderView } from '../../../src-main/api/contract'
import './traders.css'

const REFRESH_MS = 2000
export const TRADER_TABLE_ID = 'traders-table'

// The simulated exchange's traders: who they are, how they do against simply holding their starting
// balances, and (for the selected one) their balances, open orders and recent fills. F (or the Follow
// button) opens the Copy page's Follow form for the selected trader.

/** The selected trader outlives page switches. */
export const useTraderSelection = create<{ id: string | null; select(id: string | null): void }>()((set) => ({
  id: null,
  select: (id) => set({ id }),
}))

/** The Follow form for a trader ('trader:<slug>' here is the copy engine's leader 'sim:trader:<slug>'). */
export const followTrader = (traderId: string) => followLeader(`sim:${traderId}`)

const signClass = (value: string) => (signOf(value) > 0 ? 'pos' : signOf(value) < 0 ? 'neg' : 'muted')

export function TradersPage() {
  const [traders, setTraders] = useState<SimTraderView[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  usePoll(async (alive) => {
    try {
      const list = await api.invoke('sim.traders', {})
      if (!alive()) return
      setTraders(list)
      setError(null)
    } catch (err) {
      if (alive()) setError(err instanceof Error ? err.message : String(err))
    }
  }, REFRESH_MS)
  const selected = useTraderSelection((s) => s.id)
  const select = useTraderSelection((s) => s.select)
  const selectedId = traders?.some((t) => t.id === selected) ? selected : (traders?.[0]?.id ?? null)
  return (
    <div className="traders-page" data-testid="traders-page">
      <TradersTable traders={traders} error={error} selectedId={selectedId} onSelect={select} />
      {selectedId ? <TraderDetail key={selectedId} id={selectedId} /> : <div className="traders-empty" />}
    </div>
  )
}

function TradersTable({
  traders,
  error,
  selectedId,
  onSelect,
}: {
  traders: SimTraderView[] | null
  error: string | null
  selectedId: string | null
  onSelect: (id: string) => void
}) {
  const now = useNow(1000)
  const scroller = useRef<HTMLDivElement>(null)
  useSelectedInView(scroller, selectedId)
  const onKeyDown = useRowKeys({
    ids: traders?.map((t) => t.id) ?? [],
    selected: selectedId,
    onSelect,
    onActivate: () => document.getElementById('trader-detail')?.focus(),
    onKey: (key, id) => {
      if (key !== 'f') return false
      followTrader(id)
      return true
    },
  })
  const tools = (
    <>
      <span className="muted" data-testid="traders-count">
        {traders ? `${traders.length} traders · every 2 s` : ''}
      </span>
      <button type="button" className="btn btn-small" onClick={() => selectedId && followTrader(selectedId)} disabled={selectedId === null} data-testid="traders-follow">
        Follow…
      </button>
    </>
  )
  return (
    <Panel title="Simulated traders" tools={tools} testId="panel-traders">
      {error ? (
        <p className="inline-error" role="alert">
          Traders unavailable: {error}
        </p>
      ) : null}
      {!traders ? (
        <EmptyState>Loading traders…</EmptyState>
      ) : traders.length === 0 ? (
        <EmptyState>The simulated exchange has no traders.</EmptyState>
      ) : (
        <div className="scroll" ref={scroller}>
          <table
            id={TRADER_TABLE_ID}
            className="grid-table selectable traders-table"
            role="grid"
            aria-label="Simulated traders"
            aria-activedescendant={selectedId ? `trader-row-${selectedId.replace(/\W/g, '-')}` : undefined}
            tabIndex={0}
            onKeyDown={onKeyDown}
            data-testid="traders-table"
          >
            <thead>
              <tr>
                <th scope="col">Trader</th>
                <th scope="col">Style</th>
                <th scope="col">Markets</th>
                <th scope="col" className="num">
                  Equity USDT
                </th>
                <th scope="col" className="num" title="Against holding the starting balances at today's prices">
                  P&amp;L vs hold
                </th>
                <th scope="col" className="num">
                  %
                </th>
                <th scope="col" className="num">
                  Orders
                </th>
                <th scope="col" className="num">
                  Fills
                </th>
                <th scope="col">Last action</th>
                <th scope="col" className="num">
                  When
                </th>
              </tr>
            </thead>
            <tbody>
              {traders.map((t) => (
                <tr
                  key={t.id}
                  id={`trader-row-${t.id.replace(/\W/g, '-')}`}
                  aria-selected={t.id === selectedId}
                  onMouseDown={() => onSelect(t.id)}
                  data-testid="trader-row"
                  data-trader-id={t.id}
                >
                  <td className="nowrap trader-name">{t.name}</td>
                  <td className="nowrap muted">{t.style}</td>
                  <td className="nowrap">{t.symbols.join(', ')}</td>
                  <td className="num">{formatDecimal(t.equity, { minDecimals: 2 })}</td>
                  <td className={`num ${signClass(t.pnl)}`}>{formatDecimal(t.pnl, { minDecimals: 2, plus: true })}</td>
                  <td className={`num ${signClass(t.pnlPct)}`}>{formatPercent(t.pnlPct)}</td>
                  <td className="num">{t.ordersPlaced}</td>
                  <td className="num" data-testid="trader-fills">
                    {t.fills}
                  </td>
                  <td className="trader-action" title={t.lastAction ?? undefined}>
                    {t.lastAction ?? <span className="muted">waiting</span>}
                  </td>
                  <td className="num muted">{t.lastActionAt === null ? '' : formatAgo(now - t.lastActionAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <footer className="key-footer" aria-hidden="true">
        <span>
          <Kbd combo="Up" />
          <Kbd combo="Down" /> select
        </span>
        <span>
          <Kbd combo="Enter" /> to the details
        </span>
        <span>
          <Kbd combo="F" /> follow (copy trading)
        </span>
        <span>P&amp;L is measured against holding the starting balances at today's prices.</span>
      </footer>
    </Panel>
  )
}

function TraderDetail({ id }: { id: string }) {
  const [detail, setDetail] = useState<SimTraderDetail | null>(null)
  const [error, setError] = useState<string | null>(null)
  usePoll(
    async (alive) => {
      try {
        const d = await api.invoke('sim.trader', { id })
        if (!alive()) return
        setDetail(d)
        setError(null)
      } catch (err) {
        if (alive()) setError(err instanceof Error ? err.message : String(err))
      }
    },
    REFRESH_MS,
    id,
  )
  const format = useTimeFormat()
  const time = (ms: number) => (format ? formatTime(ms, format) : '')
  const fullTime = (ms: number) => (format ? `${formatDateTime(ms, format)} ${zoneLabel(format)}` : undefined)
  const t = detail?.trader
  const orderDecimals = detail ? maxDecimals(detail.openOrders.flatMap((o) => [o.amount, o.filled])) : 0
  const fillDecimals = detail ? maxDecimals(detail.recentFills.map((f) => f.amount)) : 0
  // Prices line up per market (a BTC price and an ETH/BTC price have different decimals).
  const priceDecimals = new Map<string, number>()
  for (const { symbol, price } of [...(detail?.openOrders ?? []), ...(detail?.recentFills ?? [])]) {
    priceDecimals.set(symbol, Math.max(priceDecimals.get(symbol) ?? 0, maxDecimals([price])))
  }
  const price = (symbol: string, value: string) => formatDecimal(value, { minDecimals: priceDecimals.get(symbol) ?? 0 })
  return (
    <div className="trader-detail" id="trader-detail" tabIndex={-1} data-focus-region data-testid="trader-detail">
      <header className="trader-head">
        {t ? (
          <>
            <h2 className="trader-title" data-testid="trader-detail-name">
              {t.name}
            </h2>
            <span className="badge badge-muted">{t.style}</span>
            <span className="muted trader-desc">{t.description}</span>
            <span className="toolbar-spacer" />
            <span className="nowrap">
              <span className="muted">start </span>
              <span className="num">{formatDecimal(t.startEquity, { minDecimals: 2 })}</span>
              <span className="muted"> → equity </span>
              <span className="num">{formatDecimal(t.equity, { minDecimals: 2 })}</span>
              <span className="muted"> USDT · </span>
              <span className={`num ${signClass(t.pnl)}`}>{formatDecimal(t.pnl, { minDecimals: 2, plus: true })}</span>{' '}
              <span className={`num ${signClass(t.pnlPct)}`}>({formatPercent(t.pnlPct)})</span>
            </span>
          </>
        ) : (
          <span className="muted">{error ?? 'Loading…'}</span>
        )}
      </header>
      {error && t ? <p className="inline-error">{error}</p> : null}
      <div className="trader-panels">
        <Panel title="Balances" testId="trader-balances">
          {detail && detail.balances.length > 0 ? (
            <div className="scroll">
              <BalanceTable rows={detail.balances} valuationAsset="USDT" />
            </div>
          ) : (
            <EmptyState>{detail ? 'No balances.' : 'Loading…'}</EmptyState>
          )}
        </Panel>
        <Panel
          title="Open orders"
          tools={detail ? <span className="muted">{detail.openOrders.length}</span> : null}
          testId="trader-orders"
        >
          {detail && detail.openOrders.length > 0 ? (
            <div className="scroll">
              <table className="grid-table">
                <thead>
                  <tr>
                    <th scope="col">Symbol</th>
                    <th scope="col">Side</th>
                    <th scope="col" className="num">
                      Price
                    </th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                    <th scope="col" className="num">
                      Filled
                    </th>
                    <th scope="col" className="num">
                      Placed
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {detail.openOrders.map((o) => (
                    <tr key={o.venueOrderId} data-testid="trader-order">
                      <td className="nowrap">{o.symbol}</td>
                      <td className={`nowrap ${o.side === 'buy' ? 'pos' : 'neg'}`}>
                        {o.side} <span className="muted">{o.type}</span>
                      </td>
                      <td className="num">
                        {o.price === null ? <span className="muted">market</span> : price(o.symbol, o.price)}
                      </td>
                      <td className="num">{formatDecimal(o.amount, { minDecimals: orderDecimals })}</td>
                      <td className="num muted">{formatDecimal(o.filled, { minDecimals: orderDecimals })}</td>
                      <td className="num muted" title={fullTime(o.createdAt)}>
                        {time(o.createdAt)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <EmptyState>{detail ? 'No open orders.' : 'Loading…'}</EmptyState>
          )}
        </Panel>
        <Panel
          title="Recent fills"
          tools={detail ? <span className="muted">{detail.recentFills.length} latest first</span> : null}
          testId="trader-fills"
        >
          {detail && detail.recentFills.length > 0 ? (
            <div className="scroll">
              <table className="grid-table">
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Symbol</th>
                    <th scope="col">Side</th>
                    <th scope="col" className="num">
                      Price
                    </th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                    <th scope="col" className="num">
                      Fee
                    </th>
                    <th scope="col">Liq.</th>
                  </tr>
                </thead>
                <tbody>
                  {detail.recentFills.map((f) => (
                    <tr key={f.tradeId} data-testid="trader-fill">
                      <td className="num muted" title={fullTime(f.timestamp)}>
                        {time(f.timestamp)}
                      </td>
                      <td className="nowrap">{f.symbol}</td>
                      <td className={f.side === 'buy' ? 'pos' : 'neg'}>{f.side}</td>
                      <td className="num">{price(f.symbol, f.price)}</td>
                      <td className="num">{formatDecimal(f.amount, { minDecimals: fillDecimals })}</td>
                      <td className="num muted">
                        {formatDecimal(f.fee)} <span className="unit">{f.feeAsset}</span>
                      </td>
                      <td className="muted">{f.liquidity}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <EmptyState>{detail ? 'No fills yet.' : 'Loading…'}</EmptyState>
          )}
        </Panel>
      </div>
    </div>
  )
}

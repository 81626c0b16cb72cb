import { useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { Panel } from '../../ui/Panel'
import { signOf } from '../../ui/decimal'
import { useRowKeys, useSelectedInView } from '../../ui/useRowKeys'
import { rowDomId } from '../trading/useTableState'
import { usePortfolio } from './portfolioStore'
import { ALL_ACCOUNTS_ROW, assetRows, periodLabel, positionKey, sortPositions } from './portfolioModel'
import { Amount, Money, Pct, Pnl, Price } from './Figures'
import { PORTFOLIO_IDS } from './portfolioIds'

// Per asset (one row per account and asset, as the engine values them, or — G — one row per asset summed
// by the engine over the accounts shown) and per account. ↑/↓ move the selection; Enter shows only the
// selected row's account (Enter again on the account table: back to all).

/** Held assets: amount, average cost, price, value, unrealized, realized in period, % change. */
export function PositionsPanel() {
  const view = usePortfolio((s) => s.view)
  const filter = usePortfolio((s) => s.account)
  const setAccount = usePortfolio((s) => s.setAccount)
  const [perAsset, setPerAsset] = useState(false)
  const rows = useMemo(() => (view ? (perAsset ? assetRows(view) : sortPositions(view.positions)) : []), [view, perAsset])
  const ids = useMemo(() => rows.map(positionKey), [rows])
  const [selected, setSelected] = useState<string | null>(null)
  const scroller = useRef<HTMLDivElement>(null)
  useSelectedInView(scroller, selected)
  const labels = useMemo(() => new Map(view?.accounts.map((a) => [a.account, a.label]) ?? []), [view])
  const accountsOf = useMemo(() => new Map(view?.assets.map((a) => [a.asset, a.accounts]) ?? []), [view])
  const rowKeys = useRowKeys({
    ids,
    selected,
    onSelect: setSelected,
    onActivate: (id) => {
      const account = rows.find((r) => positionKey(r) === id)?.account ?? ''
      if (account !== ALL_ACCOUNTS_ROW) setAccount(account)
    },
  })
  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    if ((event.key === 'g' || event.key === 'G') && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault()
      setPerAsset((v) => !v)
      return
    }
    rowKeys(event)
  }
  const showAccount = filter === '' || perAsset
  const c = view?.currency ?? ''
  const period = view ? periodLabel(view.period) : ''
  return (
    <Panel
      title="Positions"
      tools={
        <>
          <button type="button" className="btn btn-small" aria-pressed={perAsset} onClick={() => setPerAsset((v) => !v)} data-testid="positions-per-asset" title="G: per asset / per account and asset">
            {perAsset ? 'Per asset' : 'Per account'}
          </button>
          <span className="muted">{rows.length} held · G: group · Enter: only its account</span>
        </>
      }
      testId="panel-portfolio-positions"
    >
      <div className="scroll" ref={scroller}>
        <table
          id={PORTFOLIO_IDS.positions}
          className="grid-table selectable pf-table"
          role="grid"
          aria-label="Positions per asset"
          aria-activedescendant={selected && ids.includes(selected) ? rowDomId('pf-pos', selected) : undefined}
          tabIndex={0}
          onKeyDown={onKeyDown}
          data-testid="portfolio-positions"
        >
          <thead>
            <tr>
              <th scope="col">Asset</th>
              {showAccount ? <th scope="col">Account</th> : null}
              <th scope="col" className="num">Amount</th>
              <th scope="col" className="num">Avg cost</th>
              <th scope="col" className="num">Price</th>
              <th scope="col" className="num">Value {c}</th>
              <th scope="col" className="num">Unrealized</th>
              <th scope="col" className="num">Realized {period}</th>
              <th scope="col" className="num">% {period}</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr className="pf-empty">
                <td colSpan={showAccount ? 9 : 8}>{view ? 'Nothing held in this view.' : 'Loading…'}</td>
              </tr>
            ) : null}
            {rows.map((p) => {
              const id = positionKey(p)
              const missing = signOf(p.missingCostBasis) !== 0
              return (
                <tr
                  key={id}
                  id={rowDomId('pf-pos', id)}
                  aria-selected={id === selected}
                  onClick={() => setSelected(id)}
                  data-testid="position-row"
                  data-asset={p.asset}
                  data-account={p.account}
                >
                  <th scope="row" className="asset">
                    {p.asset}
                    {missing ? (
                      <span className="badge badge-warn pf-badge" title={`${p.missingCostBasis} ${p.asset} sold without a known cost`}>
                        no cost
                      </span>
                    ) : null}
                  </th>
                  {showAccount ? (
                    <td className="ellipsis pf-account">
                      {p.account === ALL_ACCOUNTS_ROW ? `${accountsOf.get(p.asset) ?? 0} account${accountsOf.get(p.asset) === 1 ? '' : 's'}` : (labels.get(p.account) ?? p.account)}
                    </td>
                  ) : null}
                  <td className="num">
                    <Amount value={p.amount} testId="position-amount" />
                  </td>
                  <td className="num">
                    <Price value={p.averageCost} unit={c} testId="position-avg-cost" />
                  </td>
                  <td className="num">
                    <Price value={p.price} unit={c} testId="position-price" />
                  </td>
                  <td className="num">
                    <Money value={p.value} unit={c} testId="position-value" />
                  </td>
                  <td className="num">
                    <Pnl value={p.unrealized} unit={c} testId="position-unrealized" />
                  </td>
                  <td className="num">
                    <Pnl value={p.realizedInPeriod} unit={c} testId="position-realized-period" />
                  </td>
                  <td className="num">
                    <Pct value={p.changePct} testId="position-change-pct" />
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </Panel>
  )
}

/** Per account: value, cost basis, unrealized, realized, realized in period. */
export function AccountsPnlPanel() {
  const view = usePortfolio((s) => s.view)
  const filter = usePortfolio((s) => s.account)
  const setAccount = usePortfolio((s) => s.setAccount)
  const rows = useMemo(() => view?.accounts ?? [], [view])
  const ids = useMemo(() => rows.map((a) => a.account), [rows])
  const [selected, setSelected] = useState<string | null>(null)
  const scroller = useRef<HTMLDivElement>(null)
  useSelectedInView(scroller, selected)
  const onKeyDown = useRowKeys({ ids, selected, onSelect: setSelected, onActivate: (id) => setAccount(filter === id ? '' : id) })
  const c = view?.currency ?? ''
  const period = view ? periodLabel(view.period) : ''
  return (
    <Panel title="Accounts" tools={<span className="muted">Enter: only this account / all</span>} testId="panel-portfolio-accounts">
      <div className="scroll" ref={scroller}>
        <table
          id={PORTFOLIO_IDS.accounts}
          className="grid-table selectable pf-table"
          role="grid"
          aria-label="P&L per account"
          aria-activedescendant={selected && ids.includes(selected) ? rowDomId('pf-acc', selected) : undefined}
          tabIndex={0}
          onKeyDown={onKeyDown}
          data-testid="portfolio-accounts"
        >
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col" className="num">Value {c}</th>
              <th scope="col" className="num">Cost basis</th>
              <th scope="col" className="num">Unrealized</th>
              <th scope="col" className="num">Realized</th>
              <th scope="col" className="num">Realized {period}</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr className="pf-empty">
                <td colSpan={6}>{view ? 'No account holds anything yet.' : 'Loading…'}</td>
              </tr>
            ) : null}
            {rows.map((a) => (
              <tr
                key={a.account}
                id={rowDomId('pf-acc', a.account)}
                aria-selected={a.account === selected}
                onClick={() => setSelected(a.account)}
                onDoubleClick={() => setAccount(filter === a.account ? '' : a.account)}
                data-testid="pnl-account-row"
                data-account={a.account}
              >
                <th scope="row" className="ellipsis pf-account" title={a.account}>
                  {a.label}
                </th>
                <td className="num">
                  <Money value={a.value} unit={c} testId="account-value" />
                </td>
                <td className="num">
                  <Money value={a.costBasis} unit={c} />
                </td>
                <td className="num">
                  <Pnl value={a.unrealized} unit={c} testId="account-unrealized" />
                </td>
                <td className="num">
                  <Pnl value={a.realized} unit={c} testId="account-realized" />
                </td>
                <td className="num">
                  <Pnl value={a.realizedInPeriod} unit={c} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  )
}

import { useMemo, useState, type KeyboardEvent } from 'react'
import { Panel } from '../../ui/Panel'
import { signOf } from '../../ui/decimal'
import { useGridKeys } from '../../ui/useRowKeys'
import { DataGrid, rowDomId } from '../../ui/DataGrid'
import { usePortfolio } from './portfolioStore'
import { ALL_ACCOUNTS_ROW, assetRows, periodLabel, positionKey, sortPositions, type PositionRow } from './portfolioModel'
import { Amount, Money, PartialValue, Pct, Pnl, Price } from './Figures'
import { PORTFOLIO_IDS } from './portfolioIds'
import { LotsStrip } from './LotsStrip'

// Per asset (one row per account and asset, as the engine values them, or — G — one row per asset summed
// by the engine over the accounts shown) and per account. ↑/↓ move the selection; Enter shows only the
// selected row's account (Enter again on the account table: back to all). The selected position's open
// lots show under the table.

/** Held assets: amount, average cost, price, value, unrealized, realized in period, % change. */
export function PositionsPanel() {
  const view = usePortfolio((s) => s.view)
  const filter = usePortfolio((s) => s.account)
  const setAccount = usePortfolio((s) => s.setAccount)
  const [perAsset, setPerAsset] = useState(false)
  const rows = useMemo<PositionRow[]>(() => (view ? (perAsset ? assetRows(view) : sortPositions(view.positions)) : []), [view, perAsset])
  const ids = useMemo(() => rows.map(positionKey), [rows])
  const [selected, setSelected] = useState<string | null>(null)
  const labels = useMemo(() => new Map(view?.accounts.map((a) => [a.account, a.label]) ?? []), [view])
  const accountsOf = useMemo(() => new Map(view?.assets.map((a) => [a.asset, a.accounts]) ?? []), [view])
  const grid = useGridKeys({
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
    grid.onKeyDown(event)
  }
  const showAccount = filter === '' || perAsset
  const picked = selected !== null ? rows.find((r) => positionKey(r) === selected && r.account !== ALL_ACCOUNTS_ROW) : undefined
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
          <span className="muted">{rows.length} held · ↑↓: its lots · G: group · Enter: only its account</span>
        </>
      }
      testId="panel-portfolio-positions"
    >
      <DataGrid
        id={PORTFOLIO_IDS.positions}
        label="Positions per asset"
        testId="portfolio-positions"
        className="pf-table"
        emptyClassName="pf-empty"
        rowKind="pf-pos"
        {...grid}
        selected={selected !== null && ids.includes(selected) ? selected : null}
        onKeyDown={onKeyDown}
        columns={[
          { label: 'Asset' },
          ...(showAccount ? [{ label: 'Account' }] : []),
          { label: 'Amount', num: true },
          { label: 'Avg cost', num: true },
          { label: 'Price', num: true },
          { label: `Value ${c}`, num: true },
          { label: 'Unrealized', num: true },
          { label: `Realized ${period}`, num: true },
          { label: `% ${period}`, num: true },
        ]}
        empty={rows.length > 0 ? null : view ? 'Nothing held in this view.' : 'Loading…'}
      >
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
                <PartialValue value={p.value} unpriced={p.unpricedAmount} asset={p.asset} unit={c} testId="position-value" />
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
      </DataGrid>
      {picked && view ? <LotsStrip position={{ ...picked, method: view.method }} /> : null}
    </Panel>
  )
}

/** Per account: value, cost basis, unrealized, realized, realized in period. */
export function AccountsPnlPanel() {
  const view = usePortfolio((s) => s.view)
  const toggleAccount = usePortfolio((s) => s.toggleAccount)
  const rows = useMemo(() => view?.accounts ?? [], [view])
  const ids = useMemo(() => rows.map((a) => a.account), [rows])
  const [selected, setSelected] = useState<string | null>(null)
  const grid = useGridKeys({ ids, selected, onSelect: setSelected, onActivate: toggleAccount })
  const c = view?.currency ?? ''
  const period = view ? periodLabel(view.period) : ''
  return (
    <Panel title="Accounts" tools={<span className="muted">Enter: only this account / back</span>} testId="panel-portfolio-accounts">
      <DataGrid
        id={PORTFOLIO_IDS.accounts}
        label="P&L per account"
        testId="portfolio-accounts"
        className="pf-table"
        emptyClassName="pf-empty"
        rowKind="pf-acc"
        {...grid}
        selected={selected !== null && ids.includes(selected) ? selected : null}
        columns={[
          { label: 'Account' },
          { label: `Value ${c}`, num: true },
          { label: 'Cost basis', num: true },
          { label: 'Unrealized', num: true },
          { label: 'Realized', num: true },
          { label: `Realized ${period}`, num: true },
        ]}
        empty={rows.length > 0 ? null : view ? 'No account holds anything yet.' : 'Loading…'}
      >
        {rows.map((a) => (
          <tr
            key={a.account}
            id={rowDomId('pf-acc', a.account)}
            aria-selected={a.account === selected}
            onClick={() => setSelected(a.account)}
            onDoubleClick={() => toggleAccount(a.account)}
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
      </DataGrid>
    </Panel>
  )
}

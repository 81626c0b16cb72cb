import { useRef } from 'react'
import { flushSync } from 'react-dom'
import { Panel, EmptyState } from '../../ui/Panel'
import { Kbd } from '../../ui/Kbd'
import { useNow } from '../../ui/useNow'
import { usePoll } from '../../ui/usePoll'
import { useRowKeys, useSelectedInView } from '../../ui/useRowKeys'
import { formatAgo, formatDateTime, zoneLabel } from '../../ui/format'
import { useTimeFormat } from '../../app/useTimeFormat'
import { useAccounts, type AccountView } from './accountsStore'
import { ACCOUNT_LIST_ID, askRemove, startAdd, startEdit, testAccount } from './accountActions'
import { testOutcome, tradeBadge } from './labels'
import { AccountForm } from './AccountForm'
import { AccountDetails } from './AccountDetails'
import { SecretsPanel } from './SecretsPanel'
import './accounts.css'

/** Exchange accounts: the list, the key store, and the add / edit / details panel. */
export function AccountsPage() {
  // The key store may come back (or go away) while the page is open: ask again now and then.
  usePoll(() => useAccounts.getState().loadSecrets(), 15_000)
  return (
    <div className="accounts-page" data-testid="accounts-page">
      <div className="accounts-left">
        <AccountsPanel />
        <SecretsPanel />
      </div>
      <SidePanel />
    </div>
  )
}

function AccountsPanel() {
  const { accounts, status, loadError, selectedId, testing, select } = useAccounts()
  const selected = accounts.find((a) => a.id === selectedId)
  const scroller = useRef<HTMLDivElement>(null)
  useSelectedInView(scroller, selectedId)
  const onKeyDown = useRowKeys({
    ids: accounts.map((a) => a.id),
    selected: selectedId,
    onSelect: select,
    onActivate: startEdit,
    onDelete: askRemove,
  })
  const now = useNow(5000)
  const tools = (
    <span className="muted" data-testid="accounts-count">
      {accounts.length} {accounts.length === 1 ? 'account' : 'accounts'}
    </span>
  )
  return (
    <Panel title="Exchange accounts" tools={tools} testId="panel-accounts">
      <div className="toolbar">
        <button type="button" className="btn btn-small" onClick={startAdd} data-testid="account-add">
          Add account <Kbd combo="Alt+N" />
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={!selected}
          onClick={() => selected && startEdit(selected.id)}
        >
          Edit <Kbd combo="Enter" />
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={!selected || testing[selected.id] === true}
          onClick={() => selected && void testAccount(selected.id)}
          data-testid="account-test"
        >
          {selected && testing[selected.id] ? 'Testing…' : 'Test connection'} <Kbd combo="Alt+T" />
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={!selected}
          onClick={() => selected && askRemove(selected.id)}
        >
          Remove <Kbd combo="Delete" />
        </button>
      </div>
      {loadError ? <p className="inline-error">Accounts unavailable: {loadError}</p> : null}
      {accounts.length === 0 ? (
        <EmptyState>
          {status === 'loading'
            ? 'Loading accounts…'
            : 'No exchange accounts yet. Add one to trade on a real exchange; the simulated exchange needs none.'}
        </EmptyState>
      ) : (
        <div className="scroll" ref={scroller}>
          <table
            id={ACCOUNT_LIST_ID}
            className="grid-table selectable accounts-table"
            role="grid"
            aria-label="Exchange accounts"
            aria-activedescendant={selectedId ? `account-row-${selectedId}` : undefined}
            tabIndex={0}
            onKeyDown={onKeyDown}
            data-testid="accounts-table"
          >
            <thead>
              <tr>
                <th scope="col" className="col-label">
                  Label
                </th>
                <th scope="col" className="col-exchange">
                  Exchange
                </th>
                <th scope="col" className="col-url">
                  API
                </th>
                <th scope="col" className="col-key">
                  Key
                </th>
                <th scope="col" className="col-permission">
                  Permission
                </th>
                <th scope="col">Last test</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <AccountRow
                  key={a.id}
                  account={a}
                  now={now}
                  selected={a.id === selectedId}
                  testing={testing[a.id] === true}
                  onSelect={() => select(a.id)}
                />
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
          <Kbd combo="Enter" /> edit
        </span>
        <span>
          <Kbd combo="Delete" /> remove
        </span>
        <span>
          <Kbd combo="Alt+T" /> test
        </span>
        <span>
          <Kbd combo="Alt+N" /> add
        </span>
      </footer>
    </Panel>
  )
}

interface RowProps {
  account: AccountView
  now: number
  selected: boolean
  testing: boolean
  onSelect: () => void
}

function AccountRow({ account: a, now, selected, testing, onSelect }: RowProps) {
  const format = useTimeFormat()
  const trade = tradeBadge(a.canTrade)
  const test = a.lastTest
  const outcome = test ? testOutcome(test) : null
  const testError = useAccounts((s) => s.testErrors[a.id])
  return (
    <tr
      id={`account-row-${a.id}`}
      aria-selected={selected}
      onMouseDown={onSelect}
      onDoubleClick={() => {
        flushSync(onSelect)
        startEdit(a.id)
      }}
      data-testid="account-row"
      data-account-id={a.id}
    >
      <td className="account-label" title={a.label}>
        {a.label}
      </td>
      <td>
        {a.exchangeName}
        {a.sandbox ? (
          <>
            {' '}
            <span className="badge badge-accent">sandbox</span>
          </>
        ) : null}
      </td>
      <td className="mono" title={a.apiBaseUrl ?? undefined}>
        {a.apiBaseUrl ?? <span className="muted">default</span>}
      </td>
      <td className="mono" data-testid="account-key-hint">
        {a.keyHint}
      </td>
      <td>
        <span className={`badge badge-${trade.tone}`} data-testid="account-permission">
          {trade.text}
        </span>
      </td>
      <td className="account-test" data-testid="account-last-test">
        {testing ? (
          <span className="muted">Testing…</span>
        ) : testError ? (
          <span className="neg" title={testError}>
            Not run: {testError}
          </span>
        ) : test && outcome ? (
          <span
            className="test-line"
            title={`${test.message}${format ? `\n${formatDateTime(test.at, format)} ${zoneLabel(format)}` : ''}`}
          >
            <span className={`badge badge-${outcome.tone}`}>{outcome.text}</span>
            <span className="test-msg">{test.ok ? `${test.latencyMs} ms · ${test.message}` : test.message}</span>
            <span className="muted nowrap">{formatAgo(now - test.at)}</span>
          </span>
        ) : (
          <span className="muted">never tested</span>
        )}
      </td>
    </tr>
  )
}

/** Right: the add form, the edit form, or the selected account's details. */
function SidePanel() {
  const { editor, accounts, status, selectedId } = useAccounts()
  const effective = editor ?? (status === 'ready' && accounts.length === 0 ? ({ mode: 'add' } as const) : null)
  if (effective?.mode === 'add') {
    return (
      <Panel title="Add exchange account" testId="panel-account-editor">
        <AccountForm key="add" account={null} />
      </Panel>
    )
  }
  const account = accounts.find((a) => a.id === (effective?.mode === 'edit' ? effective.id : selectedId))
  if (effective?.mode === 'edit' && account) {
    return (
      <Panel title={`Edit account`} tools={<span className="muted">{account.label}</span>} testId="panel-account-editor">
        <AccountForm key={`edit-${account.id}`} account={account} />
      </Panel>
    )
  }
  return (
    <Panel title="Account" tools={account ? <span className="muted">{account.label}</span> : null} testId="panel-account-details">
      {account ? <AccountDetails account={account} /> : <EmptyState>Select an account to see its details.</EmptyState>}
    </Panel>
  )
}

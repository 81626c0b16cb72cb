import { useEffect } from 'react'
import { Kbd } from '../../ui/Kbd'
import { useNow } from '../../ui/useNow'
import { connectionText } from '../markets/connectionText'
import { formatAgo, formatDateTime, zoneLabel } from '../../ui/format'
import { useTimeFormat } from '../../app/useTimeFormat'
import { useAccounts, type AccountView } from './accountsStore'
import { askRemove, reconnectAccount, startEdit, testAccount } from './accountActions'
import { startVenuesSync, useVenues } from '../markets/venuesStore'
import { testOutcome, tradeBadge } from './labels'

/** The selected account, read-only: where it connects, its key and what its last test said. */
export function AccountDetails({ account: a }: { account: AccountView }) {
  const format = useTimeFormat()
  const when = (ms: number) => (format ? `${formatDateTime(ms, format)} ${zoneLabel(format)}` : new Date(ms).toISOString())
  const trade = tradeBadge(a.canTrade)
  return (
    <div className="account-details" data-testid="account-details">
      <dl className="facts">
        <dt>Exchange</dt>
        <dd>
          {a.exchangeName}
          {a.sandbox ? (
            <>
              {' '}
              <span className="badge badge-accent">sandbox</span>
            </>
          ) : null}
        </dd>
        <dt>Label</dt>
        <dd>{a.label}</dd>
        <dt>API</dt>
        <dd className="mono" title={a.apiBaseUrl ?? undefined}>
          {a.apiBaseUrl ?? <span className="muted">exchange default</span>}
        </dd>
        <dt>API key</dt>
        <dd className="mono">{a.keyHint}</dd>
        <dt>Sealed with</dt>
        <dd>{a.keyMode === 'keychain' ? 'keychain master key' : a.keyMode === 'passphrase' ? 'passphrase key' : '—'}</dd>
        <dt>Permission</dt>
        <dd>
          <span className={`badge badge-${trade.tone}`}>{trade.text}</span>
        </dd>
        <dt>Added</dt>
        <dd>{when(a.createdAt)}</dd>
        <dt>Changed</dt>
        <dd>{when(a.updatedAt)}</dd>
      </dl>
      <div className="toolbar toolbar-top">
        <button type="button" className="btn btn-small" onClick={() => startEdit(a.id)}>
          Edit <Kbd combo="Enter" />
        </button>
        <button type="button" className="btn btn-small" onClick={() => askRemove(a.id)}>
          Remove… <Kbd combo="Delete" />
        </button>
      </div>
      <h3 className="subhead">Connection</h3>
      <ConnectionStatus account={a} />
      <ConnectionTest account={a} />
    </div>
  )
}

/**
 * How the account's venue stands now (venues.list / venues.changed): live, or why not — an exchange that
 * rejected the API key says so here — with Reconnect for when the cause was fixed at the exchange.
 */
function ConnectionStatus({ account: a }: { account: AccountView }) {
  useEffect(() => startVenuesSync(), [])
  const venue = useVenues((s) => s.venues.find((v) => v.accountId === a.id))
  return (
    <div className="connection-status" data-testid="account-status" data-state={venue?.connection}>
      <div className="connection-head">
        <span className="status-line">
          <span className={`dot dot-${venue?.connection ?? 'down'}`} aria-hidden="true" />
          <span data-testid="account-status-state">{venue ? connectionText[venue.connection] : '—'}</span>
        </span>
        <button type="button" className="btn btn-small" onClick={() => void reconnectAccount(a.id)} data-testid="account-reconnect">
          Reconnect <Kbd combo="Alt+R" />
        </button>
      </div>
      {venue?.reason ? (
        <p className={venue.connection === 'live' ? 'muted' : 'inline-error'} role="status" data-testid="account-status-reason">
          {venue.reason}
        </p>
      ) : null}
    </div>
  )
}

/** The Test connection button and what the last test found: OK with latency and balances, or why not. */
export function ConnectionTest({ account: a }: { account: AccountView }) {
  const testing = useAccounts((s) => s.testing[a.id] === true)
  const refused = useAccounts((s) => s.testErrors[a.id])
  const format = useTimeFormat()
  const now = useNow(5000)
  const test = a.lastTest
  const outcome = test ? testOutcome(test) : null
  return (
    <div className="connection-test" data-testid="connection-test" aria-live="polite" aria-busy={testing || undefined}>
      <div className="connection-head">
        <button
          type="button"
          className="btn btn-small"
          disabled={testing}
          onClick={() => void testAccount(a.id)}
          data-testid="connection-test-run"
        >
          {testing ? 'Testing…' : 'Test connection'} <Kbd combo="Alt+T" />
        </button>
        {test && outcome && !testing ? (
          <span className={`badge badge-${outcome.tone}`} data-testid="connection-outcome">
            {outcome.text}
          </span>
        ) : null}
      </div>
      {refused ? (
        <p className="inline-error" role="alert" data-testid="connection-refused">
          {refused}
        </p>
      ) : null}
      {test ? (
        <dl className="facts connection-facts">
          {test.ok ? (
            <>
              <dt>Latency</dt>
              <dd className="num" data-testid="connection-latency">
                {test.latencyMs} ms
              </dd>
              <dt>Balances</dt>
              <dd className="num" data-testid="connection-balances">
                {test.balanceCount}
              </dd>
              <dt>Permission</dt>
              <dd>
                <span className={`badge badge-${tradeBadge(test.canTrade).tone}`}>{tradeBadge(test.canTrade).text}</span>
              </dd>
            </>
          ) : null}
          <dt>Message</dt>
          <dd className="wrap" data-testid="connection-message">
            {test.message}
          </dd>
          <dt>Tested</dt>
          <dd>
            {format ? `${formatDateTime(test.at, format)} ${zoneLabel(format)}` : ''}{' '}
            <span className="muted">({formatAgo(now - test.at)})</span>
          </dd>
        </dl>
      ) : (
        <p className="empty">Not tested since it was added or last changed.</p>
      )}
    </div>
  )
}

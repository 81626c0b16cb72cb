import http from 'node:http'
import type { AddressInfo } from 'node:net'
import Decimal from 'decimal.js'
import { SMTPServer } from 'smtp-server'
import { test, expect } from './fixtures'
import { chartLineY, dragChartLine, engineCall, openApp } from './app-helpers'

// Price alerts against a real headless engine whose simulated exchange runs live: a fill of yours is a
// notice; Alt+L on the Trade page
// opens the form on the market and the ladder's picked price; a level the price has already reached is
// refused with the engine's words; an alert set from the form fires when market buys (made by another
// client) lift the last trade through it: a toast, a row in the notification centre, the alert ended as
// fired, and its webhook (a local server here) gets the JSON message. Delete cancels an active alert.

interface AlertView {
  id: string
  status: string
  price: string
  condition: string
}

test('Alerts: set from the Trade page by keyboard, refused where already reached, fired by the market with its webhook, Delete cancels', async ({ page, engine }) => {
  const hooks: { type: string | undefined; body: Record<string, unknown> }[] = []
  const server = http.createServer((req, res) => {
    let data = ''
    req.on('data', (c: Buffer) => (data += c.toString()))
    req.on('end', () => {
      hooks.push({ type: req.headers['content-type'], body: JSON.parse(data) as Record<string, unknown> })
      res.writeHead(200).end('ok')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  // A mail server on loopback that wants a login, for the email channel.
  const mails: string[] = []
  const smtp = new SMTPServer({
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (auth, _s, cb) => (auth.username === 'me' && auth.password === 's3cret-mail-pw' ? cb(null, { user: 'me' }) : cb(new Error('Authentication failed'))),
    onData(stream, _s, cb) {
      let data = ''
      stream.on('data', (c: Buffer) => (data += c.toString()))
      stream.on('end', () => {
        mails.push(data.replace(/=\r?\n/g, ''))
        cb()
      })
    },
  })
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()))
  const smtpPort = (smtp.server.address() as AddressInfo).port
  const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`
  try {
    const problems = await openApp(page, engine, '#trade')
    // A fill of yours is said (Settings → Alerts → Fill notifications, "in the app" at first), once for
    // the burst, in the engine's words.
    const first = await engineCall(engine, 'orders.submit', { venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'market', size: { unit: 'base', value: '0.0005' } })
    expect(first.ok, JSON.stringify(first)).toBe(true)
    await expect(page.getByTestId('toast').filter({ hasText: 'Bought 0.0005 BTC · BTC/USDT' })).toBeVisible()
    // The market buys below would fill the toasts: fill notices off for this test.
    expect((await engineCall(engine, 'settings.set', { key: 'alerts.fills', value: 'off' })).ok).toBe(true)
    const ladder = page.getByTestId('ladder').first()
    await expect(ladder).toHaveAttribute('data-status', 'live')

    // A click on an ask level picks its price (the ticket shows it); Alt+L carries the market and that
    // price to the form. Rows are redrawn many times a second: the click is retried until one took.
    const ticket = page.getByTestId('ticket-limit-price')
    await expect(async () => {
      await ladder.getByTestId('book-ask').last().click({ timeout: 1_000 })
      expect(await ticket.inputValue({ timeout: 1_000 })).not.toBe('')
    }).toPass({ timeout: 20_000 })
    const picked = (await ticket.inputValue()).replace(/,/g, '')
    await page.keyboard.press('Alt+L')
    await expect(page.getByTestId('alerts-page')).toBeVisible()
    await expect(page.getByTestId('alert-price')).toBeFocused()
    await expect(page.getByTestId('alert-symbol')).toHaveValue('BTC/USDT')
    expect(Number((await page.getByTestId('alert-price').inputValue()).replace(/,/g, ''))).toBe(Number(picked))

    // "Rises to" a level well under the price: the engine refuses it, saying where the price is.
    await page.getByTestId('alert-price').fill('1000')
    await page.getByTestId('alert-condition').selectOption('above')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('alert-error')).toContainText('already at or above 1000: the alert would fire at once')
    const none = await engineCall(engine, 'alerts.list', {})
    expect(none).toEqual({ ok: true, value: [] })

    // Mail settings: a bad address is refused at its field; saved, the password is not shown again, and a
    // test email reaches the server with that login.
    await page.getByTestId('alert-mail-host').fill('127.0.0.1')
    await page.getByTestId('alert-mail-port').fill(String(smtpPort))
    await page.getByTestId('alert-mail-security').selectOption('none')
    await page.getByTestId('alert-mail-username').fill('me')
    await page.getByTestId('alert-mail-password').fill('s3cret-mail-pw')
    await page.getByTestId('alert-mail-from').fill('alerts@example.com')
    await page.getByTestId('alert-mail-to').fill('not an address')
    await page.getByTestId('alert-mail-save').click()
    await expect(page.getByTestId('alert-mail-to-error')).toContainText('must be an email address')
    await page.getByTestId('alert-mail-to').fill('me@example.com')
    await page.getByTestId('alert-mail-save').click()
    await expect(page.getByTestId('alert-mail-password')).toHaveAttribute('placeholder', 'saved — empty keeps it for this server')
    await expect(page.getByTestId('alert-mail-password')).toHaveValue('')
    const mailView = await engineCall(engine, 'alerts.emailGet', {})
    expect(mailView).toMatchObject({ ok: true, value: { host: '127.0.0.1', port: smtpPort, hasPassword: true, to: 'me@example.com' } })
    expect(JSON.stringify(mailView)).not.toContain('s3cret-mail-pw')
    await page.getByTestId('alert-mail-test').click()
    await expect(page.getByTestId('toast').filter({ hasText: 'Test email sent' })).toBeVisible()
    expect(mails).toHaveLength(1)
    expect(mails[0]).toContain('Subject: CryptoOrchestrator: test email')

    // A far one to cancel by keyboard later.
    await page.getByTestId('alert-price').fill('2000000')
    await page.getByTestId('alert-condition').selectOption('')
    await page.getByTestId('alert-note').fill('far away')
    await page.getByTestId('alert-repeat').check()
    await page.getByTestId('alert-price').press('Enter')
    await expect(page.getByTestId('alert-row')).toHaveCount(1)
    await expect(page.getByTestId('alert-row').getByTestId('alert-repeats')).toHaveText(' · every time')
    await page.getByTestId('alert-repeat').uncheck()

    // Three cents over the best ask (as the form shows it, from the ticker), on the ask: market buys (another client's) take the best ask away,
    // and the simulated book moves by more than that every few seconds.
    await page.getByTestId('alert-source').selectOption('ask')
    await page.getByTestId('alert-webhook').fill(hookUrl)
    await page.getByTestId('alert-email').check()
    // The ask can pass the level between reading it and the engine's check (then the engine refuses it,
    // and the reading is taken again). The alert is found by its note (the engine says a level as a number:
    // 95000.10 as 95000.1), and a try the engine took after the 2 s look gave up is the alert: sending
    // another would make two alerts, and two mails.
    let id = ''
    let level = ''
    let typed = ''
    const breakout = async () => {
      const lists = await Promise.all(['active', 'history'].map((scope) => engineCall(engine, 'alerts.list', { scope })))
      const made = lists.flatMap((l) => (l as { value: (AlertView & { note: string | null })[] }).value).find((x) => x.note === 'breakout')
      if (made === undefined) return false
      expect(new Decimal(made.price).eq(typed)).toBe(true)
      ;({ id, price: level } = made)
      return true
    }
    await expect(async () => {
      if (typed !== '' && (await breakout())) return
      const bestAsk = Number((await page.getByTestId('alert-current').innerText()).replace(/[^0-9.]/g, ''))
      expect(bestAsk).toBeGreaterThan(0)
      typed = (bestAsk + 0.03).toFixed(2)
      await page.getByTestId('alert-price').fill(typed)
      await page.getByTestId('alert-condition').selectOption('above')
      await page.getByTestId('alert-note').fill('breakout')
      await page.getByTestId('alert-submit').click()
      await expect(async () => expect(await breakout()).toBe(true)).toPass({ timeout: 2_000 })
    }).toPass({ timeout: 20_000 })

    // Market buys (another client's) take liquidity at the ask. Should the book fall away from the level
    // instead, the level is moved (alerts.amend) to just over the ask the engine sees, every 3 s.
    let fired = false
    for (let i = 0; i < 40 && !fired; i++) {
      if (i < 10) {
        const bought = await engineCall(engine, 'orders.submit', { venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'market', size: { unit: 'quote', value: '300' } })
        expect(bought.ok, JSON.stringify(bought)).toBe(true)
      }
      await page.waitForTimeout(500)
      const history = (await engineCall(engine, 'alerts.list', { scope: 'history' })) as { value: AlertView[] }
      fired = history.value.some((a) => a.id === id && a.status === 'fired')
      if (!fired && i % 6 === 5) {
        const active = (await engineCall(engine, 'alerts.list', {})) as { value: (AlertView & { current: string | null })[] }
        const current = active.value.find((a) => a.id === id)?.current
        if (current) {
          const moved = (Number(current) + 0.01).toFixed(2)
          const amended = (await engineCall(engine, 'alerts.amend', { id, price: moved })) as { ok: boolean; value?: AlertView }
          if (amended.ok) level = amended.value!.price
        }
      }
    }
    expect(fired).toBe(true)

    // The engine keeps a level as a number: 95000.10 is said as 95000.1.
    const title = `BTC/USDT rose to ${String(Number(level))}`
    await expect(page.getByTestId('toast').filter({ hasText: title })).toBeVisible()
    const event = page.locator(`[data-testid="alert-event-row"][data-rule-id="${id}"]`)
    await expect(event).toContainText(title)
    await expect(event).toHaveAttribute('data-webhook', 'delivered')
    await expect(event).toContainText('delivered (HTTP 200)')
    await expect(event).toHaveAttribute('data-email', 'delivered')
    expect(mails).toHaveLength(2)
    expect(mails[1]).toContain(`Subject: ${title}`)
    expect(mails[1]).toContain('breakout')
    const endedRow = page.locator(`[data-testid="alert-ended-row"][data-alert-id="${id}"]`)
    await expect(endedRow).toHaveAttribute('data-status', 'fired')
    await expect(endedRow.getByTestId('alert-ended-level')).toHaveText(Number(level).toLocaleString('en-US', { maximumFractionDigits: 2 }))
    await expect(page.getByTestId('alert-row')).toHaveCount(1)
    expect(hooks).toHaveLength(1)
    expect(hooks[0]!.type).toBe('application/json')
    expect(hooks[0]!.body).toMatchObject({ type: 'price-alert', alertId: id, symbol: 'BTC/USDT', condition: 'above', level, source: 'ask', note: 'breakout', title })
    // The price that fired it is at or over the level, exactly.
    const firedAt = String(hooks[0]!.body.price)
    expect(Number(firedAt)).toBeGreaterThanOrEqual(Number(level))
    const events = (await engineCall(engine, 'alerts.events', {})) as { value: { ruleId: string; price: string; webhook: string }[] }
    expect(events.value.find((e) => e.ruleId === id)).toMatchObject({ price: firedAt, webhook: 'delivered' })

    // The saved mail password can be removed (after a confirmation); the rest of the settings stay.
    await page.getByTestId('alert-mail-remove-password').click()
    await expect(page.getByTestId('alert-mail-remove-confirm')).toContainText('Delete the saved password for 127.0.0.1?')
    await page.getByTestId('alert-mail-remove-ok').click()
    await expect(page.getByTestId('alert-mail-password')).toHaveAttribute('placeholder', 'optional')
    await expect(page.getByTestId('alert-mail-remove-password')).toHaveCount(0)
    expect(await engineCall(engine, 'alerts.emailGet', {})).toMatchObject({ ok: true, value: { host: '127.0.0.1', username: 'me', hasPassword: false } })

    // The far one's level moves from its row: E opens the editor, a level the market has already reached is
    // refused in the row (nothing changes), Escape drops the draft, Enter opens it again and sends a new level.
    await page.getByTestId('alerts-active').focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('e')
    const levelField = page.getByTestId('alert-amend-level')
    await expect(levelField).toBeFocused()
    await levelField.fill('1000')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('alert-amend-error')).toContainText('already at or above')
    expect(((await engineCall(engine, 'alerts.list', {})) as { value: AlertView[] }).value.map((a) => a.price)).toEqual(['2000000'])
    await page.keyboard.press('Escape')
    await expect(levelField).toHaveCount(0)
    await expect(page.getByTestId('alerts-active')).toBeFocused()
    await expect(page.getByTestId('alert-row').getByTestId('alert-level')).toHaveText('2,000,000')
    await page.keyboard.press('Enter')
    await levelField.fill('1,900,000')
    await page.keyboard.press('Enter')
    await expect(levelField).toHaveCount(0)
    await expect(page.getByTestId('alert-row').getByTestId('alert-level')).toHaveText('1,900,000')
    expect(((await engineCall(engine, 'alerts.list', {})) as { value: AlertView[] }).value.map((a) => a.price)).toEqual(['1900000'])
    await expect(page.getByTestId('alerts-active')).toBeFocused()

    // Then Delete cancels it on the engine.
    await page.keyboard.press('Delete')
    await expect(page.getByTestId('alert-row')).toHaveCount(0)
    const ended = (await engineCall(engine, 'alerts.list', { scope: 'history' })) as { value: AlertView[] }
    expect(ended.value.find((a) => a.price === '1900000')).toMatchObject({ status: 'canceled', repeat: true })

    // An alert that leaves on its own (here canceled from another client) leaves nothing selected: a Delete
    // next cannot cancel a neighbour the user never chose.
    const made = await Promise.all(['3000000', '3100000'].map((price) => engineCall(engine, 'alerts.create', { venueId: 'sim', symbol: 'BTC/USDT', condition: 'above', price })))
    const [farA, farB] = made.map((r) => (r as { value: AlertView }).value)
    await expect(page.getByTestId('alert-row')).toHaveCount(2)
    await page.getByTestId('alerts-active').focus()
    const selectedAlert = page.locator('[data-testid="alert-row"][aria-selected="true"]')
    await expect(selectedAlert).toHaveCount(1)
    const chosen = await selectedAlert.getAttribute('data-alert-id')
    const other = chosen === farA!.id ? farB! : farA!
    expect((await engineCall(engine, 'alerts.cancel', { id: chosen })).ok).toBe(true)
    await expect(page.getByTestId('alert-row')).toHaveCount(1)
    await expect(selectedAlert).toHaveCount(0)
    await expect(page.getByTestId('alerts-active-notice')).toContainText('left this table')
    await page.keyboard.press('Delete')
    // The one left is still there, unselected until the user arrows to it; Delete then cancels it.
    await page.keyboard.press('ArrowDown')
    await expect(page.locator(`[data-testid="alert-row"][data-alert-id="${other.id}"]`)).toHaveAttribute('aria-selected', 'true')
    await page.keyboard.press('Delete')
    await expect(page.getByTestId('alert-row')).toHaveCount(0)
    const both = ((await engineCall(engine, 'alerts.list', { scope: 'history' })) as { value: AlertView[] }).value.filter((a) => a.id === farA!.id || a.id === farB!.id)
    expect(both.map((a) => a.status)).toEqual(['canceled', 'canceled'])

    // On the Trade page's candle chart an active alert is a line at its level; dragged 20 px down, the
    // engine moves the level down (on the tick), and canceled, its line goes.
    const near = await engineCall(engine, 'alerts.create', { venueId: 'sim', symbol: 'BTC/USDT', condition: 'below', price: (Number(firedAt) * 0.995).toFixed(2) })
    expect(near.ok, JSON.stringify(near)).toBe(true)
    const nearAlert = (near as { value: AlertView }).value
    await page.keyboard.press('Control+6')
    // The 15 m chart, whose price range holds a level 0.5 % away.
    await page.keyboard.press('Alt+C')
    await page.keyboard.press('3')
    const canvasHost = page.getByTestId('chart-canvas')
    await expect(page.getByTestId('tf-15m')).toHaveAttribute('aria-pressed', 'true')
    const alertY = () => chartLineY(canvasHost, nearAlert.id)
    await expect.poll(alertY).not.toBeNull()
    const box = (await canvasHost.boundingBox())!
    await expect.poll(async () => (await alertY())! > 10 && (await alertY())! < box.height - 40).toBe(true)
    // The watchlist marks the market that has an active alert.
    const btcWatch = page.locator('[data-testid="watch-row"][data-symbol="BTC/USDT"][data-venue-id="sim"]')
    await expect(btcWatch.getByTestId('watch-alerts')).toHaveText(' ⚑1')
    await dragChartLine(page, canvasHost, nearAlert.id, 20)
    const levelNow = async () => ((await engineCall(engine, 'alerts.list', {})) as { value: AlertView[] }).value.find((a) => a.id === nearAlert.id)?.price
    await expect.poll(levelNow).not.toBe(nearAlert.price)
    const movedTo = (await levelNow())!
    expect(Number(movedTo)).toBeLessThan(Number(nearAlert.price))
    // On the 0.01 tick; the engine keeps a level as the number it is, so 94396.20 reads 94396.2.
    expect(movedTo).toMatch(/^\d+(\.\d{1,2})?$/)
    // The My orders view on BTC/USDT lists it under Alerts (4); Delete there cancels it on the engine.
    await page.keyboard.press('Alt+Shift+O')
    await page.keyboard.press('4')
    await expect(page.getByTestId('my-orders-tab-alerts')).toHaveAttribute('aria-pressed', 'true')
    await expect(page.getByTestId('my-orders-count-alerts')).toHaveText('1')
    const inView = page.locator(`[data-testid="alert-row"][data-alert-id="${nearAlert.id}"]`)
    await expect(inView.getByTestId('alert-level')).toHaveText(Number(movedTo).toLocaleString('en-US', { maximumFractionDigits: 2 }))
    await expect(page.getByTestId('alerts-active')).toBeFocused()
    await page.keyboard.press('Delete')
    await expect.poll(async () => ((await engineCall(engine, 'alerts.list', { scope: 'history' })) as { value: AlertView[] }).value.find((a) => a.id === nearAlert.id)?.status).toBe('canceled')
    await expect.poll(alertY).toBeNull()
    await page.keyboard.press('1')
    await expect(btcWatch.getByTestId('watch-alerts')).toHaveCount(0)
    // The layout is saved in the engine the other specs share: back to the first timeframe.
    await page.keyboard.press('Alt+C')
    await page.keyboard.press('1')
    await expect(page.getByTestId('tf-1m')).toHaveAttribute('aria-pressed', 'true')
    expect(problems).toEqual([])
  } finally {
    await engineCall(engine, 'settings.reset', { key: 'alerts.fills' })
    await new Promise((r) => server.close(r))
    await new Promise<void>((r) => smtp.close(() => r()))
  }
})

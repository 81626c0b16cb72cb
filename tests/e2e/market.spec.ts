import type { Locator } from '@playwright/test'
import { test, expect } from './fixtures'
import { chartLineY, dragChartLine, engineCall, openApp } from './app-helpers'
import type { HeadlessProcess } from '../support/headless-process'

// The Trade page against a real headless engine whose simulated exchange runs live: a market opened from
// the Markets page by keyboard, its order book ladder (health, sides, updates, grouping, ticket price),
// the trades tape, the candle chart and its timeframe keys, and no stream left open after switching markets.

/** Plays "another window": one command straight to the engine. */
const prices = async (levels: Locator) =>
  (await levels.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-price')))))

interface Health {
  venueId: string
  symbol: string
  views: number
}

/** A 0.001 BTC limit buy on the simulated exchange, placed through the engine as another client would. */
async function limitBuy(engine: HeadlessProcess, price: string): Promise<{ clientOrderId: string; price: string }> {
  const placed = await engineCall(engine, 'orders.submit', { venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'limit', size: { unit: 'base', value: '0.001' }, price })
  expect(placed.ok, JSON.stringify(placed)).toBe(true)
  return (placed as { value: { clientOrderId: string; price: string } }).value
}

test('Trade: open BTC/USDT from Markets by keyboard; live ladder, grouping, ticket price, tape, candles', async ({
  page,
  engine,
}) => {
  const problems = await openApp(page, engine)
  const info = await engineCall(engine, 'markets.search', { query: 'BTC/USDT', venueId: 'sim' })
  expect(info.ok).toBe(true)
  const btc = (info as { value: { symbol: string; tickSize: string }[] }).value.find((m) => m.symbol === 'BTC/USDT')!
  const tick = Number(btc.tickSize)

  // Markets page → search → arrow to the row → Enter (to the list) → Enter (open on the Trade page).
  await page.keyboard.press('Control+3')
  await page.locator('#main').focus()
  await page.keyboard.press('/')
  await page.keyboard.type('btc/usdt')
  const row = page.locator('[data-testid="market-row"][data-symbol="BTC/USDT"][data-venue-id="sim"]')
  await expect(row).toBeVisible()
  await expect(page.getByTestId('market-row')).toHaveCount(1)
  await page.keyboard.press('ArrowDown')
  await expect(row).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('markets-table')).toBeFocused()
  // W unpins it from the watchlist (the default pins the simulated exchange's markets), W again pins it.
  await expect(row).toHaveAttribute('data-pinned', 'true')
  await page.keyboard.press('w')
  await expect(row).toHaveAttribute('data-pinned', 'false')
  await page.keyboard.press('w')
  await expect(row).toHaveAttribute('data-pinned', 'true')
  await page.keyboard.press('Enter')
  const tradePage = page.getByTestId('trade-page')
  await expect(tradePage).toBeVisible()
  await expect(tradePage).toHaveAttribute('data-market', 'sim|BTC/USDT')
  await expect(page.getByTestId('trade-symbol')).toHaveText('BTC/USDT')

  // The ladder: live, asks above bids, best ask above best bid in price too.
  const ladder = page.getByTestId('ladder')
  await expect(ladder).toHaveAttribute('data-status', 'live')
  await expect(page.getByTestId('book-status')).toHaveText('live')
  await expect(page.getByTestId('book-updated')).toContainText(/updated|no data/)
  const asks = page.getByTestId('book-ask')
  const bids = page.getByTestId('book-bid')
  await expect.poll(() => asks.count()).toBeGreaterThan(3)
  await expect.poll(() => bids.count()).toBeGreaterThan(3)
  await page.screenshot({ path: '/tmp/market-ui-trade.png' })
  // Read both best levels in one go (levels are replaced as the book moves).
  const sides = await ladder.evaluate((el) => {
    const ask = [...el.querySelectorAll('[data-testid="book-ask"]')].at(-1)!.getBoundingClientRect()
    const bid = el.querySelector('[data-testid="book-bid"]')!.getBoundingClientRect()
    return { askBottom: ask.bottom, bidTop: bid.top, askHeight: ask.height, bidHeight: bid.height }
  })
  expect(sides.askHeight).toBeGreaterThan(0)
  expect(sides.bidHeight).toBeGreaterThan(0)
  expect(sides.askBottom).toBeLessThanOrEqual(sides.bidTop)
  const askPrices = await prices(asks)
  const bidPrices = await prices(bids)
  expect(Math.min(...askPrices)).toBeGreaterThan(Math.max(...bidPrices))
  // Asks are drawn worst (highest) first down to the best; bids best (highest) first.
  expect(askPrices).toEqual([...askPrices].sort((a, b) => b - a))
  expect(bidPrices).toEqual([...bidPrices].sort((a, b) => b - a))

  // The user's resting buy is marked on its level with what is left of it; a click on the level selects it and
  // Delete in the ladder cancels what is mine there. The live book requotes under the test: a click can land on
  // the neighbour drawn there a frame later, the market can fill the order, and the level can leave the drawn
  // ladder between a check and the key (the cursor then sits on the nearest level shown, where Delete has
  // nothing of mine to cancel). So the whole step is retried with a fresh order, the last one canceled first.
  const markedAt = (price: number) =>
    ladder.locator(`[data-testid="book-bid"][data-price="${price}"][data-mine]`).evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-mine'))))
  const statusOf = async (id: string) => {
    const history = await engineCall(engine, 'orders.list', { scope: 'history' })
    return (history as { value: { clientOrderId: string; status: string }[] }).value.find((o) => o.clientOrderId === id)?.status
  }
  await expect(async () => {
    const shown = await prices(bids)
    const price = shown[Math.min(6, shown.length - 1)]!
    const id = (await limitBuy(engine, price.toFixed(2))).clientOrderId
    try {
      await expect.poll(async () => (await markedAt(price))[0] ?? 0, { timeout: 3_000 }).toBeGreaterThanOrEqual(0.001)
      const markedRow = ladder.locator(`[data-testid="book-bid"][data-price="${price}"]`)
      await expect(markedRow.getByTestId('level-mine')).not.toHaveText('', { timeout: 1_000 })
      await markedRow.click({ timeout: 1_000 })
      await expect(markedRow).toHaveAttribute('aria-selected', 'true', { timeout: 1_000 })
      await ladder.focus()
      await page.keyboard.press('Delete')
      // The venue confirms a cancel asynchronously: the history follows the key within a moment.
      await expect.poll(() => statusOf(id), { timeout: 3_000 }).toBe('canceled')
    } finally {
      if ((await statusOf(id)) === undefined) await engineCall(engine, 'orders.cancel', { clientOrderId: id })
    }
  }).toPass({ timeout: 45_000 })
  // The mark goes with the order: no level of the book is marked as mine any more.
  await expect(ladder.locator('[data-mine]')).toHaveCount(0)

  // Levels update within a few seconds (the simulated market trades and requotes).
  const snapshot = () => ladder.innerText()
  const before = await snapshot()
  await expect.poll(snapshot, { timeout: 10_000, intervals: [250] }).not.toBe(before)
  // Changed levels flash (a class per fading step, flash-1 just changed … flash-3), and the flash ends.
  await expect.poll(() => ladder.locator('.flash-1, .flash-2, .flash-3').count(), { timeout: 10_000 }).toBeGreaterThan(0)
  // The depth chart is drawn from the same stream, and the aggregated book shows the pair across venues.
  await expect(page.getByTestId('depth-canvas')).toBeVisible()
  await expect.poll(() => page.getByTestId('agg-bid').count()).toBeGreaterThan(0)
  await expect(page.getByTestId('agg-arbitrage')).toHaveText(/arbitrage/i)

  // Grouping by 10× the tick: every shown price is on a 10-tick step, shown with that step's decimals.
  await page.getByTestId('book-group').selectOption('10')
  const step = tick * 10
  const onStep = async () => {
    const all = [...(await prices(asks)), ...(await prices(bids))]
    return all.length > 0 && all.every((p) => Math.abs(p / step - Math.round(p / step)) < 1e-6)
  }
  await expect.poll(onStep, { timeout: 10_000 }).toBe(true)
  const stepDecimals = Math.max(0, (btc.tickSize.split('.')[1] ?? '').replace(/0+$/, '').length - 1)
  const shownPrice = await bids.first().getByTestId('level-price').innerText()
  expect(shownPrice.split('.')[1]?.length ?? 0).toBe(stepDecimals)
  const grouped = await prices(bids)
  for (let i = 1; i < grouped.length; i++) expect(grouped[i - 1]! - grouped[i]!).toBeGreaterThanOrEqual(step - 1e-9)
  await page.screenshot({ path: '/tmp/market-ui-grouped.png' })
  await page.getByTestId('book-group').selectOption('1')
  await expect.poll(async () => (await bids.first().getByTestId('level-price').innerText()).split('.')[1]?.length ?? 0).toBe(
    stepDecimals + 1,
  )

  // A click on a level puts its price in the ticket; so does Enter on a level chosen with the arrows.
  const ticket = page.getByTestId('ticket-limit-price')
  // A bid a few rows deep. Levels are redrawn many times a second, so the click is at a place (retried when
  // its row is replaced between press and release), and the price it picked is checked against the ladder.
  const rowBox = (await bids.nth(4).boundingBox())!
  await expect(async () => {
    await page.mouse.click(rowBox.x + rowBox.width / 2, rowBox.y + rowBox.height / 2)
    expect(await ticket.inputValue({ timeout: 1_000 })).not.toBe('')
  }).toPass({ timeout: 20_000 })
  const picked = Number(await ticket.inputValue())
  expect(Math.abs(picked / tick - Math.round(picked / tick))).toBeLessThan(1e-6) // a price on the tick
  expect(picked).toBeLessThan(Math.max(...(await prices(asks)))) // a bid, not an ask
  expect(Math.abs(picked - bidPrices[0]!) / bidPrices[0]!).toBeLessThan(0.05)
  await ladder.focus()
  await page.keyboard.press('Home') // the best ask
  const selected = ladder.locator('[aria-selected="true"]')
  await expect(selected).toHaveAttribute('data-testid', 'book-ask')
  // The cursor's level can vanish between reading it and Enter (the cursor then moves to its neighbour), so
  // read and press again until the ticket holds the level the cursor is on.
  await expect(async () => {
    const selectedPrice = (await selected.getByTestId('level-price').innerText()).replace(/,/g, '')
    await page.keyboard.press('Enter')
    await expect(ticket).toHaveValue(selectedPrice, { timeout: 500 })
  }).toPass({ timeout: 10_000 })
  // Down from the best ask reaches the bids (the simulated market may add an ask below the cursor meanwhile,
  // so each try starts again from the best ask). A busy machine may take a while to draw the move.
  await expect(async () => {
    await ladder.focus()
    await page.keyboard.press('Home')
    await page.keyboard.press('ArrowDown')
    await expect(ladder.locator('[aria-selected="true"]')).toHaveAttribute('data-testid', 'book-bid', { timeout: 2_000 })
  }).toPass({ timeout: 20_000 })

  // The tape shows trades: time, price, size, side.
  const tapeRows = page.getByTestId('tape-row')
  await expect.poll(() => tapeRows.count(), { timeout: 15_000 }).toBeGreaterThan(0)
  await expect(tapeRows.first()).toHaveAttribute('data-side', /^(buy|sell)$/)
  await expect(tapeRows.first().locator('td').first()).toHaveText(/^\d{1,2}:\d{2}:\d{2}/)

  // The candle chart renders history — on a first start the simulated exchange's synthetic past, a full
  // screen of it (300 candles) — and the timeframe follows keys 1–6 when the chart has focus.
  const chart = page.getByTestId('chart')
  await expect.poll(async () => Number(await chart.getAttribute('data-candles'))).toBeGreaterThanOrEqual(300)
  // lightweight-charts draws on its own canvases inside the chart container (panes, axes): count inked pixels.
  const inked = () =>
    chart.locator('canvas').evaluateAll((canvases: HTMLCanvasElement[]) => {
      let n = 0
      for (const c of canvases) {
        if (c.width === 0 || c.height === 0) continue
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
        for (let i = 3; i < data.length && n <= 500; i += 4) if (data[i]! > 0) n++
      }
      return n
    })
  await expect.poll(inked).toBeGreaterThan(500)
  await expect.poll(() => chart.locator('canvas').count()).toBeGreaterThan(1)
  // The crosshair (library-drawn) drives the legend: hovering the plot shows that candle's OHLCV.
  const box = (await chart.boundingBox())!
  await page.mouse.move(box.x + box.width / 3, box.y + box.height / 2)
  await expect(page.getByTestId('chart-legend')).toContainText(/O .*H .*L .*C .*V /)
  // Scrolled back (a sideways wheel) to its oldest candles, the chart loads older ones in front.
  const shown = Number(await chart.getAttribute('data-candles'))
  await expect(async () => {
    await page.mouse.wheel(-2000, 0)
    expect(Number(await chart.getAttribute('data-candles'))).toBeGreaterThan(shown + 100)
  }).toPass({ timeout: 15_000 })

  // The user's orders on this market are price lines on the chart: a resting limit buy and an armed buy
  // stop appear as the engine reports them, and go when canceled. (Other tests share the engine: counted
  // from what is there now.)
  const orderLines = async () => Number(await chart.getAttribute('data-order-lines'))
  const linesBefore = await orderLines()
  const now = (await engineCall(engine, 'markets.search', { query: 'BTC/USDT', venueId: 'sim' })) as { value: { symbol: string; last: string }[] }
  const lastPrice = Number(now.value.find((m) => m.symbol === 'BTC/USDT')!.last)
  const onTick = (x: number) => (Math.round(x / tick) * tick).toFixed(2)
  const placed = await limitBuy(engine, onTick(lastPrice * 0.97))
  const stop = await engineCall(engine, 'conditional.create', {
    type: 'single',
    venueId: 'sim',
    symbol: 'BTC/USDT',
    placement: 'app',
    leg: { kind: 'stop-market', side: 'buy', amount: '0.001', trigger: 'last', triggerPrice: onTick(lastPrice * 1.03) },
  })
  expect(stop.ok, JSON.stringify(stop)).toBe(true)
  await expect.poll(orderLines).toBe(linesBefore + 2)
  const clientOrderId = placed.clientOrderId
  expect((await engineCall(engine, 'orders.cancel', { clientOrderId })).ok).toBe(true)
  expect((await engineCall(engine, 'conditional.cancel', { id: (stop as { value: { id: string }[] }).value[0]!.id })).ok).toBe(true)
  await expect.poll(orderLines).toBe(linesBefore)
  // A limit buy at half the price is far under the chart's range: no line can show it, the bottom edge names it.
  const far = await limitBuy(engine, onTick(lastPrice * 0.5))
  const below = chart.getByTestId('chart-offrange-below')
  await expect(below).toHaveAttribute('data-ids', new RegExp(`(^|,)${far.clientOrderId}(,|$)`))
  // (Other lines may be out of range too — an alert an earlier spec left — so its words are looked for in the list.)
  await expect(below).toHaveAttribute('aria-label', new RegExp(`(^|\\n)Buy 0\\.001 at ${Number(far.price).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).replace(/[.]/g, '\\.')}(\\n|$)`))
  expect((await engineCall(engine, 'orders.cancel', { clientOrderId: far.clientOrderId })).ok).toBe(true)
  await expect(chart.locator(`[data-testid="chart-offrange-below"][data-ids*="${far.clientOrderId}"]`)).toHaveCount(0)
  // A fill is an arrow in its candle, at its price.
  const fillMarkers = async () => Number(await chart.getAttribute('data-fill-markers'))
  const markersBefore = await fillMarkers()
  const bought = await engineCall(engine, 'orders.submit', { venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'market', size: { unit: 'base', value: '0.001' } })
  expect(bought.ok, JSON.stringify(bought)).toBe(true)
  await expect.poll(fillMarkers).toBeGreaterThan(markersBefore)
  // The position held is a line at its average cost, as the portfolio engine has it.
  const avgCost = async () => {
    const summary = await engineCall(engine, 'portfolio.summary', { account: 'sim' })
    return (summary as { value: { positions: { asset: string; averageCost: string | null }[] } }).value.positions.find((p) => p.asset === 'BTC')?.averageCost ?? null
  }
  await expect.poll(async () => (await chart.getAttribute('data-position-line')) !== '').toBe(true)
  await expect.poll(async () => Number(await chart.getAttribute('data-position-line')) === Number(await avgCost())).toBe(true)
  await page.keyboard.press('Alt+C')
  await expect(chart).toBeFocused()
  await page.keyboard.press('3')
  await expect(chart).toHaveAttribute('data-timeframe', '15m')
  await expect(page.getByTestId('tf-15m')).toHaveAttribute('aria-pressed', 'true')
  await expect.poll(async () => Number(await chart.getAttribute('data-candles'))).toBeGreaterThanOrEqual(300)

  // Drag-to-amend: a limit buy's line, picked up and dropped 30 px lower, is moved lower by the engine
  // (cancel-replace at a price on the tick).
  const canvasHost = page.getByTestId('chart-canvas')
  const lastNow = async () =>
    Number(((await engineCall(engine, 'markets.search', { query: 'BTC/USDT', venueId: 'sim' })) as { value: { symbol: string; last: string }[] }).value.find((m) => m.symbol === 'BTC/USDT')!.last)
  // The chart's price range follows the candles it shows — after the scroll back above, maybe an older stretch
  // of the market's path, above or below the price now — so a line a fixed share under the price can be left
  // out of it (named at an edge, not drawn, nothing to pick up). Placed again, nearer the price when it fell
  // under the range and further under it when above, until it is drawn.
  const offRangeIds = (edge: 'above' | 'below') =>
    chart.evaluate((el, e) => (el.querySelector(`[data-testid="chart-offrange-${e}"]`)?.getAttribute('data-ids') ?? '').split(','), edge)
  const placeDrawn = async <T>(place: (last: number, share: number) => Promise<T & { id: string }>, cancel: (id: string) => Promise<void>): Promise<T & { id: string }> => {
    let low = 0.5
    let high = 0.9995
    let share = 0.99
    for (let attempt = 0; attempt < 10; attempt++) {
      const placed = await place(await lastNow(), share)
      const seen: { at: 'drawn' | 'above' | 'below' | null } = { at: null }
      await expect
        .poll(
          async () => {
            if ((await chartLineY(canvasHost, placed.id)) !== null) seen.at = 'drawn'
            else if ((await offRangeIds('below')).includes(placed.id)) seen.at = 'below'
            else if ((await offRangeIds('above')).includes(placed.id)) seen.at = 'above'
            return seen.at
          },
          { timeout: 8_000 },
        )
        .not.toBeNull()
        .catch(() => undefined)
      if (seen.at === 'drawn') return placed
      await cancel(placed.id)
      if (seen.at === 'below') low = share
      else if (seen.at === 'above') high = share
      share = (low + high) / 2
    }
    throw new Error('no line could be placed inside the chart’s price range')
  }
  const dragged = await placeDrawn(
    async (last, share) => {
      const order = await limitBuy(engine, onTick(last * share))
      return { ...order, id: order.clientOrderId }
    },
    async (id) => expect((await engineCall(engine, 'orders.cancel', { clientOrderId: id })).ok).toBe(true),
  )
  const draggedId = dragged.clientOrderId
  const draggedFrom = Number(dragged.price)
  await dragChartLine(page, canvasHost, draggedId, 30)
  type Row = { clientOrderId: string; symbol: string; side: string; price: string | null; amount: string; status: string }
  const openNow = async () => ((await engineCall(engine, 'orders.list', { scope: 'open' })) as { value: Row[] }).value
  await expect.poll(async () => (await openNow()).some((o) => o.clientOrderId === draggedId)).toBe(false)
  const moved = (await openNow()).filter((o) => o.symbol === 'BTC/USDT' && o.side === 'buy' && o.amount === '0.001' && o.price !== null && Number(o.price) < draggedFrom)
  expect(moved.length, 'the order moved lower').toBe(1)
  // On the 0.01 tick; a price ending in 0 comes back without it (94396.2).
  expect(moved[0]!.price).toMatch(/^\d+(\.\d{1,2})?$/)
  expect((await engineCall(engine, 'orders.cancel', { clientOrderId: moved[0]!.clientOrderId })).ok).toBe(true)
  // A sell stop-limit's line dragged 20 px up: its trigger and its limit move up by the same amount.
  const leg = await placeDrawn(
    async (last, share) => {
      const stopLimit = await engineCall(engine, 'conditional.create', {
        type: 'single',
        venueId: 'sim',
        symbol: 'BTC/USDT',
        placement: 'app',
        leg: { kind: 'stop-limit', side: 'sell', amount: '0.001', trigger: 'last', triggerPrice: onTick(last * share), limitPrice: onTick(last * (share - 0.005)) },
      })
      expect(stopLimit.ok, JSON.stringify(stopLimit)).toBe(true)
      return (stopLimit as { value: { id: string; triggerPrice: string; limitPrice: string }[] }).value[0]!
    },
    async (id) => expect((await engineCall(engine, 'conditional.cancel', { id })).ok).toBe(true),
  )
  await dragChartLine(page, canvasHost, leg.id, -20)
  type Leg = { id: string; triggerPrice: string | null; limitPrice: string | null }
  const legNow = async () => ((await engineCall(engine, 'conditional.list', {})) as { value: Leg[] }).value.find((c) => c.id === leg.id)
  await expect.poll(async () => (await legNow())?.triggerPrice).not.toBe(leg.triggerPrice)
  const after = (await legNow())!
  const cents = (text: string | null) => Math.round(Number(text) * 100)
  expect(cents(after.triggerPrice)).toBeGreaterThan(cents(leg.triggerPrice))
  expect(cents(after.triggerPrice) - cents(after.limitPrice)).toBe(cents(leg.triggerPrice) - cents(leg.limitPrice))
  expect((await engineCall(engine, 'conditional.cancel', { id: leg.id })).ok).toBe(true)
  await page.keyboard.press('1')
  await expect(chart).toHaveAttribute('data-timeframe', '1m')
  await page.screenshot({ path: '/tmp/market-ui-chart.png' })

  expect(problems, 'no console errors').toEqual([])
})

test('Trade: switching markets (palette, watchlist) leaves only the current market book open', async ({ page, engine }) => {
  const problems = await openApp(page, engine)
  await page.keyboard.press('Control+6')
  const tradePage = page.getByTestId('trade-page')
  await expect(tradePage).toBeVisible()

  const openByDialog = async (query: string, symbol: string) => {
    await page.keyboard.press('Control+K')
    await page.keyboard.type('open market')
    await expect(page.getByTestId('command-palette').getByRole('option').first()).toContainText('Open market')
    await page.keyboard.press('Enter')
    const input = page.getByTestId('open-market-input')
    await expect(input).toBeFocused()
    await input.fill(query)
    await expect(page.locator(`[data-testid="open-market-option"][data-symbol="${symbol}"]`).first()).toBeVisible()
    await expect(page.getByTestId('open-market-option').first()).toHaveAttribute('data-symbol', symbol)
    await page.keyboard.press('Enter')
    await expect(tradePage).toHaveAttribute('data-market', `sim|${symbol}`)
    await expect(page.getByTestId('ladder')).toHaveAttribute('data-status', 'live')
  }

  await openByDialog('eth/usdt', 'ETH/USDT')
  await page.screenshot({ path: '/tmp/market-ui-eth.png' })
  await openByDialog('btc/usdt', 'BTC/USDT')
  await openByDialog('eth/btc', 'ETH/BTC')

  // The watchlist starts on the pinned markets (the simulated exchange's), live from their tickers.
  await page.keyboard.press('Alt+W')
  const watch = page.getByTestId('watchlist')
  await expect(watch).toBeFocused()
  await expect(watch).toHaveAttribute('data-mode', 'pinned')
  const watchRows = watch.getByTestId('watch-row')
  const order = () => watchRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-symbol')))
  await expect.poll(async () => [...(await order())].sort()).toEqual(['BTC/USDT', 'ETH/BTC', 'ETH/USDT', 'SOL/USDT', 'XRP/USDT'])
  await expect(watchRows.first().getByTestId('watch-last')).toHaveText(/^[\d,]+\.\d+$/)
  const [p1, p2, p3, p4, p5] = (await order()) as string[]
  // The current market's row follows the same ticker as the market bar (not a 2 s poll of the market list).
  const currentRow = watch.locator('[data-testid="watch-row"][data-symbol="ETH/BTC"]').getByTestId('watch-last')
  await expect.poll(async () => (await currentRow.innerText()) === (await page.getByTestId('trade-last').innerText()), { timeout: 10_000 }).toBe(true)
  // Alt+↓ moves the selected one down; Delete unpins it.
  await page.keyboard.press('Home')
  await page.keyboard.press('Alt+ArrowDown')
  await expect.poll(order).toEqual([p2, p1, p3, p4, p5])
  await page.keyboard.press('End')
  const last = watch.locator(`[data-testid="watch-row"][data-symbol="${p5}"]`)
  await expect(last).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Delete')
  await expect.poll(order).toEqual([p2, p1, p3, p4])
  await expect(page.getByTestId('watch-mode-pinned')).toHaveText('★ 4')

  // a: every market, sortable (s cycles the sort); w pins the selected one again, at the end.
  await page.keyboard.press('a')
  await expect(watch).toHaveAttribute('data-mode', 'all')
  await expect(watch).toHaveAttribute('data-sort', 'symbol-asc')
  await expect(last).toHaveAttribute('data-pinned', 'false')
  await last.dispatchEvent('mousedown')
  await watch.focus()
  await page.keyboard.press('w')
  await expect(last).toHaveAttribute('data-pinned', 'true')
  await page.keyboard.press('a')
  await expect.poll(order).toEqual([p2, p1, p3, p4, p5])
  // The pins are the workspace's: a reload keeps them and their order.
  await page.reload()
  await expect(tradePage).toBeVisible()
  await expect.poll(order, { timeout: 10_000 }).toEqual([p2, p1, p3, p4, p5])

  // Every market: arrows move, s cycles the sort, Enter opens.
  await page.keyboard.press('Alt+W')
  await expect(watch).toBeFocused()
  await page.keyboard.press('a')
  await expect(watch).toHaveAttribute('data-sort', 'symbol-asc')
  await page.keyboard.press('s')
  await expect(watch).toHaveAttribute('data-sort', 'change-desc')
  await page.keyboard.press('s')
  await page.keyboard.press('s')
  await page.keyboard.press('s')
  await expect(watch).toHaveAttribute('data-sort', 'symbol-asc')
  await page.keyboard.press('Home')
  const first = watch.locator('[data-testid="watch-row"][aria-selected="true"]')
  const symbol = await first.getAttribute('data-symbol')
  const venue = await first.getAttribute('data-venue-id')
  await page.keyboard.press('Enter')
  await expect(tradePage).toHaveAttribute('data-market', `${venue}|${symbol}`)
  await expect(page.getByTestId('ladder')).toHaveAttribute('data-status', 'live')

  // The engine holds book views for the current market only (the aggregate panel views the same pair).
  const openBooks = async () => {
    const reply = await engineCall(engine, 'market.health')
    expect(reply.ok).toBe(true)
    return (reply as { value: Health[] }).value.filter((h) => h.views > 0).map((h) => `${h.venueId}|${h.symbol}`)
  }
  await expect.poll(openBooks, { timeout: 10_000 }).toEqual([`${venue}|${symbol}`])

  // Leaving the page closes them all.
  await page.keyboard.press('Control+1')
  await expect.poll(openBooks, { timeout: 10_000 }).toEqual([])

  expect(problems, 'no console errors').toEqual([])
})

// Scripts the stream bench evaluates in headless chromium (strings: the bench compiles without the DOM lib).
// Every time stamp is the page's wall clock, performance.timeOrigin + performance.now(), as the exchange
// process stamps its sends.

/**
 * Renderer long tasks (PerformanceObserver) and the worst lateness of a 5 ms timer chain (shorter blocks), over
 * the run only: recordScript('__benchBook', …) marks its start and stop on the page's clock. A long task counts
 * when it started in the run, a timer's lateness when the timer was due in the run, so a block under way at the
 * stop counts in full, and the bench's own work in the page after it (reading the recorded frames out, several MB)
 * does not.
 */
export const LONG_TASK_SCRIPT = `
window.__lt = [];
window.__lag = { max: 0, from: 0, to: Infinity };
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__lt.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
} catch (e) { window.__ltError = String(e); }
// The longtask API reports only tasks over 50 ms; a 5 ms timer chain's lateness bounds shorter blocks too.
(() => {
  let due = performance.now() + 5;
  const probe = () => {
    const now = performance.now();
    const lag = window.__lag;
    if (due >= lag.from && due <= lag.to && now - due > lag.max) lag.max = now - due;
    due = now + 5;
    setTimeout(probe, 5);
  };
  setTimeout(probe, 5);
})();
`

/** The run's long tasks ([start on the wall clock, duration]) and its longest timer lateness (ms). */
export const RUN_BLOCKS_SCRIPT = `(() => {
  const { from, to, max } = window.__lag;
  const longTasks = window.__lt.filter(([s]) => s >= from && s <= to).map(([s, d]) => [performance.timeOrigin + s, d]);
  return { longTasks, timerLag: max };
})()`

/**
 * A contract socket from the app page to the headless door's /ws with one market.book view per market;
 * while recording, each frame is kept as [symbol, received at, seq, status, JSON [bids, asks], lastUpdateAt].
 */
export function bookSocketScript(venueId: string, symbols: readonly string[], depth: number): string {
  return `(() => {
  const st = { rec: false, from: 0, to: 0, frames: [], status: {}, error: null };
  window.__benchBook = st;
  // The token as the app's own page hands it over (src-renderer/api/door-token.ts): a subprotocol.
  const token = new URLSearchParams(location.search).get('token') || '';
  const ws = new WebSocket(location.origin.replace('http', 'ws') + '/ws', ['cryptoorchestrator', 'token.' + token]);
  window.__benchBookWs = ws;
  const symbols = ${JSON.stringify(symbols)};
  ws.onopen = () => symbols.forEach((symbol, i) => ws.send(JSON.stringify({
    t: 'sub', id: 'bench-book-' + i, name: 'market.book', params: { venueId: ${JSON.stringify(venueId)}, symbol, depth: ${depth} },
  })));
  ws.onmessage = (ev) => {
    const f = JSON.parse(ev.data);
    const now = performance.timeOrigin + performance.now();
    if (f.t === 'event') {
      const p = f.payload;
      st.status[p.symbol] = p.status;
      if (st.rec) st.frames.push([p.symbol, now, p.seq, p.status, JSON.stringify([p.bids, p.asks]), p.lastUpdateAt]);
    } else if ((f.t === 'reply' && !f.reply.ok) || f.t === 'error') st.error = f.reply ? f.reply.error : f.error;
  };
})()`
}

/** A plain WebSocket straight to the exchange's combined depth streams; keeps [symbol id, u, received at]. */
export function rawSocketScript(url: string): string {
  return `(() => {
  const st = { rec: false, from: 0, to: 0, msgs: [], seen: 0, state: 'connecting' };
  window.__benchRaw = st;
  const ws = new WebSocket(${JSON.stringify(url)});
  window.__benchRawWs = ws;
  ws.onopen = () => { st.state = 'open'; };
  ws.onerror = () => { st.state = 'error'; };
  ws.onclose = (ev) => { st.state = 'closed ' + ev.code; };
  ws.onmessage = (ev) => {
    st.seen++;
    const f = JSON.parse(ev.data);
    const now = performance.timeOrigin + performance.now();
    if (st.rec && f.data && f.data.e === 'depthUpdate') st.msgs.push([f.data.s, f.data.u, now]);
  };
})()`
}

/** Starts (true) or stops recording in both kinds of page state; returns the page's wall clock at that moment. */
export function recordScript(name: '__benchBook' | '__benchRaw', on: boolean): string {
  return `(() => {
  const st = window.${name};
  const now = performance.timeOrigin + performance.now();
  if (${on}) { st.from = now; ${name === '__benchBook' ? 'window.__lt.length = 0; Object.assign(window.__lag, { max: 0, from: performance.now(), to: Infinity });' : ''} }
  else { st.to = now; ${name === '__benchBook' ? 'window.__lag.to = performance.now();' : ''} }
  st.rec = ${on};
  return now;
})()`
}

/** Animation frames the page gets in one second when it asks for every one (a page behind another tab gets ~2). */
export const FRAME_RATE_SCRIPT = `new Promise((resolve) => {
  let n = 0;
  const t0 = performance.now();
  const step = () => {
    if (performance.now() - t0 >= 1000) return resolve(n / ((performance.now() - t0) / 1000));
    n++;
    requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
})`

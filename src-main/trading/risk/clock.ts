// UTC days and times as the risk messages and the daily loss limit use them.

/** '2025-11-21' for a time in ms. */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10)
}

/** '14:02:11 UTC', with the date in front when `at` is not on the same UTC day as `now`. */
export function utcTime(at: number, now: number): string {
  const iso = new Date(at).toISOString()
  const time = `${iso.slice(11, 19)} UTC`
  return utcDay(at) === utcDay(now) ? time : `${iso.slice(0, 10)} ${time}`
}

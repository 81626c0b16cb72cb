// The shapes of the client order ids this app generates, for a venue to tell its own orders from ones it
// did not name (OKX: the order an algo places when it triggers may carry an id OKX made up). Venues may
// not import from trading/ or copy/, so the generators' formats are repeated here;
// tests/unit/app-client-order-ids.test.ts checks every generator's ids against them.
//
//   order manager (trading/orders/client-ids.ts): "co" + time (base 36) + 12 random
//   conditional engine (trading/conditional/ids.ts): "cc" + time (base 36) + 6 random + counter (base 36)
//   copy trading (copy/ids.ts): "cp" + 30 (base 36 of a SHA-256)
//
// Lower-case letters and digits only, and bounded lengths (time: at most 9 characters, until the year 5000;
// counter: at most 9), so that an id made up elsewhere rarely passes for ours.

const GENERATED = /^(?:co[0-9a-z]{13,21}|cc[0-9a-z]{8,24}|cp[0-9a-z]{30})$/

/** True for an id of the shape one of this app's generators gives (an id a user chose may not be one). */
export function isAppGeneratedClientOrderId(id: string): boolean {
  return GENERATED.test(id)
}

// DOM ids of the Alerts page that actions focus.
export const ALERT_IDS = { price: 'alert-price', active: 'alerts-active', events: 'alerts-events' } as const

// DOM ids of the Alerts page that actions focus.
export const ALERT_IDS = { price: 'alert-price', active: 'alerts-active', events: 'alerts-events' } as const
export const RISK_IDS = { metric: 'risk-metric', table: 'risk-alerts' } as const

// Element ids of the order ticket's fields (one ticket per screen), for the hotkeys and for focusing the
// field a message is about.
export const TICKET_IDS = {
  venue: 'order-ticket-venue',
  symbol: 'order-ticket-symbol',
  buy: 'order-ticket-buy',
  sell: 'order-ticket-sell',
  kind: 'order-ticket-kind',
  timeInForce: 'order-ticket-tif',
  price: 'order-ticket-price',
  size: 'order-ticket-size',
  unit: 'order-ticket-unit',
  conditional: 'order-ticket-conditional',
  triggerPrice: 'order-ticket-trigger-price',
  limitPrice: 'order-ticket-limit-price',
  trailValue: 'order-ticket-trail-value',
  activationPrice: 'order-ticket-activation',
  tpTrigger: 'order-ticket-tp-trigger',
  tpLimit: 'order-ticket-tp-limit',
  slTrigger: 'order-ticket-sl-trigger',
  slLimit: 'order-ticket-sl-limit',
  submit: 'order-ticket-submit',
} as const

/** The ticket's form, wherever it is mounted (its keys act from its own fields only). */
export const TICKET_ROOT = '[data-order-ticket]'

export const ORDERS_PAGE = 'orders'

/** Focusable parts of the Orders page. */
export const ORDERS_IDS = {
  open: 'orders-open-table',
  conditional: 'orders-conditional-table',
  history: 'orders-history-table',
  fills: 'orders-fills-table',
  filter: 'orders-venue-filter',
  risk: 'risk-max-order',
  paper: 'paper-open-source',
  paperList: 'paper-venues-table',
} as const

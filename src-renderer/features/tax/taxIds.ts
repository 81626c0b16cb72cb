// DOM ids on the Tax page that actions focus.
export const TAX_IDS = {
  jurisdiction: 'tax-jurisdiction',
  year: 'tax-year',
  method: 'tax-method',
  pooling: 'tax-pooling',
  account: 'tax-account',
  lines: 'tax-lines-scroll',
  ratesFile: 'tax-rates-file',
  carryYear: 'tax-carry-year',
} as const

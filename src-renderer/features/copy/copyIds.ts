// Element ids of the Copy trading page's focusable parts, for the palette actions and for focusing the
// field an engine refusal is about.

export const COPY_PAGE = 'copy'

export const COPY_IDS = {
  leaders: 'copy-leaders-table',
  feed: 'copy-leader-feed',
  follows: 'copy-follows-table',
  records: 'copy-records-table',
  recordsFilter: 'copy-records-filter',
  drift: 'copy-drift-table',
  formSubmit: 'copy-follow-submit',
  formError: 'copy-follow-error',
} as const

/** The DOM id of a Follow form field ('symbolMap.0.to' → 'copy-field-symbolMap-0-to'). */
export const fieldDomId = (field: string): string => `copy-field-${field.replace(/\./g, '-')}`

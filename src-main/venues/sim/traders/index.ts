export { simTraders, simTraderDefinitions, simTraderById } from './registry'
export type {
  NumCandle,
  SimTraderDefinition,
  SimTraderProfile,
  SimTraderStatus,
  SimTraderStyle,
  TraderBot,
  TraderContext,
} from './types'

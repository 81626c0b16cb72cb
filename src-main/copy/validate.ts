import Decimal from 'decimal.js'
import { AppError } from '../api/errors'
import type { FollowSettings } from '../api/schemas/copy'
import type { FollowerVenues, LeaderDirectory } from './ports'
import type { FollowRow } from './store'

// The refusals of copy.follow / copy.update beyond the schema's (multiplier ≤ 0 and allocation > 100 are
// the schema's): each says exactly what is wrong. Nothing is stored when one of these throws.

export async function validateFollow(
  settings: FollowSettings,
  ctx: { leaders: LeaderDirectory; followers: FollowerVenues; live: FollowRow[]; editing?: string },
): Promise<void> {
  const leader = ctx.leaders.get(settings.leaderId)
  if (leader === undefined) {
    const former = ctx.leaders.formerLabel?.(settings.leaderId)
    if (former !== undefined) {
      throw new AppError('NOT_FOUND', `The leader "${former}" (${settings.leaderId}) was closed or removed: it can no longer be followed; pick a simulated trader or one of your accounts`)
    }
    throw new AppError('NOT_FOUND', `No leader "${settings.leaderId}": pick a simulated trader or one of your accounts`)
  }
  const follower = ctx.followers.list().find((v) => v.id === settings.followerVenueId)
  if (follower === undefined) {
    const why = settings.followerVenueId.startsWith('sim:trader:') ? ' (a simulated trader can be followed, not copied onto)' : ''
    throw new AppError('NOT_FOUND', `No follower account "${settings.followerVenueId}"${why}`)
  }
  if (settings.followerVenueId === settings.leaderId) {
    throw new AppError('BAD_INPUT', `${follower.label} cannot follow itself: choose another account as the follower`)
  }
  if (ctx.followers.canTrade(follower.id) === false) {
    throw new AppError('BAD_INPUT', `${follower.label} has a read-only key (trading is not allowed for it), so nothing could be copied onto it: add a key with trading permission`)
  }
  const overlap = settings.allow.filter((s) => settings.deny.includes(s))
  if (overlap.length > 0) throw new AppError('BAD_INPUT', `${overlap.join(', ')} ${overlap.length === 1 ? 'is' : 'are'} on both the allow list and the deny list`)
  const froms = new Set<string>()
  for (const entry of settings.symbolMap) {
    if (froms.has(entry.from)) throw new AppError('BAD_INPUT', `The symbol map has ${entry.from} twice`)
    froms.add(entry.from)
  }
  for (const entry of settings.symbolMap) {
    const market = await ctx.followers.market(follower.id, entry.to)
    if (market === undefined) {
      throw new AppError('BAD_INPUT', `The symbol map sends ${entry.from} to ${entry.to}, but ${follower.label} has no market ${entry.to}`)
    }
  }
  if (settings.minTradeQuote !== null && settings.maxTradeQuote !== null && new Decimal(settings.minTradeQuote).gt(settings.maxTradeQuote)) {
    throw new AppError('BAD_INPUT', `The minimum trade (${settings.minTradeQuote}) is above the maximum trade (${settings.maxTradeQuote})`)
  }
  const twin = ctx.live.find((f) => f.id !== ctx.editing && f.leaderId === settings.leaderId && f.followerVenueId === settings.followerVenueId)
  if (twin !== undefined) {
    throw new AppError('CONFLICT', `${follower.label} already follows ${leader.label()} (relationship ${twin.id}); change that one instead`)
  }
}

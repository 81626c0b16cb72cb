import crypto from 'node:crypto'

// The audit log's hash chain. Each entry's hash covers its own fields and the previous entry's hash, so
// an entry edited, deleted or moved in the file no longer matches what follows it. (A chain in the same
// file cannot show the newest entries cut off, or the whole log rewritten; the head hash shown on the
// Audit page can be noted elsewhere to check that.)

export const GENESIS_HASH = '0'.repeat(64)

export interface ChainedFields {
  id: number
  at: number
  door: string
  action: string
  outcome: string
  detail: string
}

export function entryHash(prevHash: string, e: ChainedFields): string {
  // JSON of a fixed-order array: no field can run into the next one.
  return crypto.createHash('sha256').update(JSON.stringify([prevHash, e.id, e.at, e.door, e.action, e.outcome, e.detail])).digest('hex')
}

export interface ChainLink {
  id: number
  hash: string
}

export interface ChainBreak {
  /** The entry named: `e`, or the one before it when either may have been rewritten (the intact chain ends before it). */
  brokenAt: number
  problem: string
}

/** Why entry `e` does not follow `prev` in the chain, or null when it does (the first follows id 0, the genesis hash). */
export function linkProblem(prev: ChainLink, e: ChainedFields & { prevHash: string; hash: string }): ChainBreak | null {
  const at = (problem: string, brokenAt = e.id) => ({ brokenAt, problem })
  if (e.id !== prev.id + 1) return at(prev.id + 1 < e.id ? `entry ${prev.id + 1} is missing (the next one is ${e.id})` : `entry ${e.id} is out of order`)
  const selfConsistent = entryHash(e.prevHash, e) === e.hash
  if (e.prevHash !== prev.hash) {
    // `e` matches the link it holds, which is not `prev`'s hash: either `prev` was changed and its hash
    // recomputed, or `e` was changed and given a made-up link with its hash recomputed. Both leave the same
    // trace, so both are named; the intact chain ends before `prev`. Otherwise only `e`'s link was edited.
    if (selfConsistent && prev.id > 0) {
      return at(`entry ${e.id} does not follow entry ${prev.id}; one of them was changed (entry ${prev.id} rewritten, or entry ${e.id} relinked)`, prev.id)
    }
    return at(`entry ${e.id} does not follow entry ${prev.id} (its link was changed)`)
  }
  if (!selfConsistent) return at(`entry ${e.id} was changed after it was written`)
  return null
}

/**
 * A FileServiceDO tree must fit one D1 row as a snapshot (D1 caps a value at 2,000,000 bytes), so
 * its size is counted the way the snapshot spends characters. Pure.
 */

/** Snapshot characters, with room to spare under D1's 2,000,000-byte value limit. */
export const MAX_TREE_COST = 1_800_000

/** Characters an entry takes in the snapshot JSON (`"path":"base64",`, or `"path":null,`). */
export function entryCost(pathLength: number, dataLength: number | null): number {
  return pathLength + 6 + (dataLength === null ? 2 : Math.ceil(dataLength / 3) * 4)
}

/**
 * Which node should run each monitor, predicted from outside the nodes with
 * core's own rendezvous hashing, so the bench knows which monitors a killed
 * node leaves behind; the bench checks the prediction against the monitor
 * counts every member reports in GET /api/v1/cluster.
 */
import { ownerOf } from '@vedette/core'
import { monitorId } from './engine-process.js'

export { ownerOf }

/** Monitor indexes per member, for the bench's monitors (tenant `default`). */
export function predictOwners(monitors: number, members: readonly string[]): Map<string, number[]> {
  const owned = new Map<string, number[]>(members.map((m) => [m, []]))
  for (let i = 0; i < monitors; i++) owned.get(ownerOf(`default/${monitorId(i)}`, members) as string)?.push(i)
  return owned
}

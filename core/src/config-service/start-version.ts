import { createHash } from 'node:crypto'
import type { Logger } from '@vedette/sdk'
import { isVedetteError } from '@vedette/sdk'
import type { VedetteConfigInput } from '../config/types.js'
import { canonicalJson } from '../engine/monitor-records.js'
import { diffConfigs, summarizeDiff } from './config-diff.js'
import type { ConfigVersionInfo, ConfigVersions } from './config-versions.js'

/**
 * Decides the document a start runs. The file is version 1 on a fresh store.
 * Later starts keep the stored document (API changes included) while the file
 * is unchanged; an edited file becomes a new version and wins. Nodes of a
 * cluster starting from one file store it once: the others get a version
 * conflict and use what the first stored.
 */
export async function startVersion(
  versions: ConfigVersions,
  fileInput: VedetteConfigInput,
  fileText: string,
  source: string,
  logger: Logger
): Promise<{ info: ConfigVersionInfo; document: VedetteConfigInput }> {
  const fileHash = configFileHash(fileInput, fileText)
  const latest = await versions.latest()
  let summary = 'initial config from the file'
  if (latest !== undefined) {
    const stored = (await versions.document(latest.version)) ?? {}
    if ((await versions.latestFromFile())?.fileHash === fileHash) return { info: latest, document: stored }
    summary = `config file changed: ${summarizeDiff(diffConfigs(stored, fileInput))}`
  }
  const info: ConfigVersionInfo = { version: (latest?.version ?? 0) + 1, author: `file:${source}`, at: Date.now(), summary, fileHash }
  try {
    await versions.saveSnapshot(info, structuredClone(fileInput))
  } catch (err) {
    if (!(isVedetteError(err) && err.code === 'VDT_ERR_CONFIG_VERSION_CONFLICT')) throw err
    const winner = (await versions.latest()) as ConfigVersionInfo
    return { info: winner, document: (await versions.document(winner.version)) ?? {} }
  }
  if (latest !== undefined) logger.warn({ version: info.version, summary }, 'the config file changed since the last start; it replaces the stored config')
  return { info, document: structuredClone(fileInput) }
}

/**
 * What tells whether the config file changed: the document, canonically, without
 * node-specific settings (cluster.nodeId, cluster.address — often `${NODE_ID}`):
 * nodes of one cluster start from one file, and none of them has changed it.
 */
export function configFileHash(input: VedetteConfigInput, text: string): string {
  return sha256(canonicalJson(withoutNodeSettings(input)) || text)
}

function withoutNodeSettings(input: VedetteConfigInput): VedetteConfigInput {
  if (input.cluster === undefined) return input
  const { nodeId: _nodeId, address: _address, ...cluster } = input.cluster
  return { ...input, cluster }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

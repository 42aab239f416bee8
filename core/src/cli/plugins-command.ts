import { loadEngineConfig } from '../engine/load-engine-config.js'
import type { CliFlags } from './main.js'

/** `vedette plugins`: the plugins a config loads, with kind, version and engine range. */
export async function pluginsCommand(flags: CliFlags): Promise<number> {
  const { catalog } = await loadEngineConfig(flags.config === undefined ? {} : { file: flags.config })
  const rows = catalog.all.map((p) => [p.name, p.kind, p.version, p.manifest.engine, p.kind === 'check' ? `type: ${p.shortName}` : p.source])
  const header = ['NAME', 'KIND', 'VERSION', 'ENGINE', 'PROVIDES']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()
  process.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n`)
  return 0
}

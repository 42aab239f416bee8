import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkConfigText, loadConfigText } from '../config/load-config.js'
import type { ConfigCheck, DescribePlugins } from '../config/load-config.js'
import type { VedetteConfig, VedetteConfigInput } from '../config/types.js'
import { ConfigNotFoundError } from '../config/errors.js'
import { parseDuration } from '../config/duration.js'
import { PluginLoader } from '../plugins/plugin-loader.js'
import { monitorConfigProblems } from '../plugins/check-config-problems.js'
import type { PluginCatalog } from '../plugins/plugin-loader.js'
import { interpolateEnv } from '../cli/interpolate-env.js'
import { ENGINE_VERSION } from '../version.js'

/** The config `npm start` runs when no file is given. */
export const EXAMPLE_CONFIG = fileURLToPath(new URL('../../examples/vedette.yaml', import.meta.url))

export interface EngineConfigSource {
  /** A config file; the bundled example when left out. */
  file?: string
  /** Environment used for `${VAR}` interpolation; process.env by default. */
  env?: NodeJS.ProcessEnv
}

export interface LoadedEngineConfig {
  config: VedetteConfig
  /** The document as written (after ${VAR} interpolation) and its text, for the config service. */
  input: VedetteConfigInput
  text: string
  catalog: PluginCatalog
  /** Where relative paths of the config resolve: the file's directory (the working directory for the example). */
  baseDir: string
  file: string
}

/**
 * Reads a config file the way `vedette start` does: `${VAR}` interpolation,
 * YAML with positions, plugin manifests (no plugin code), one composed schema,
 * validation and defaults. Throws VDT_ERR_CONFIG_* or VDT_ERR_PLUGIN_* errors.
 */
export async function loadEngineConfig(source: EngineConfigSource = {}): Promise<LoadedEngineConfig> {
  const { text, file, baseDir, describe, catalog } = await prepare(source)
  const { config, input } = await loadConfigText(text, file, describe, { baseDir })
  return { config, input, text, catalog: catalog(), baseDir, file }
}

/** Like loadEngineConfig, but returns the document's mistakes as data (for `vedette validate`). */
export async function checkEngineConfig(source: EngineConfigSource): Promise<ConfigCheck & { file: string }> {
  const { text, file, baseDir, describe, catalog } = await prepare(source)
  const result = await checkConfigText(text, file, describe, { baseDir })
  if (result.config === undefined) return { ...result, file }
  // Past the schema, each check plugin's own validate() has its say (this imports the plugins).
  const checks = await new PluginLoader({ engineVersion: ENGINE_VERSION, baseDir }).loadChecks(catalog())
  const errors = monitorConfigProblems(checks, result.config.monitors)
  return errors.length > 0 ? { config: undefined, input: result.input, errors, file } : { ...result, file }
}

async function prepare(source: EngineConfigSource) {
  const file = source.file ?? EXAMPLE_CONFIG
  // The example's relative paths (./data) belong to the user's working directory, not the install.
  const baseDir = source.file === undefined ? process.cwd() : dirname(resolve(file))
  let raw: string
  try {
    raw = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ConfigNotFoundError(file)
    throw err
  }
  const text = interpolateEnv(raw, file, source.env)
  const loader = new PluginLoader({ engineVersion: ENGINE_VERSION, baseDir })
  let last: PluginCatalog | undefined
  const describe: DescribePlugins = (refs) => {
    last = loader.catalog({
      ...(refs.storage === undefined ? {} : { storage: refs.storage }),
      plugins: refs.plugins,
      auth: refs.auth,
      ...(refs.cluster === undefined ? {} : { cluster: refs.cluster })
    })
    return describeCatalog(last)
  }
  return {
    text,
    file,
    baseDir,
    describe,
    catalog: (): PluginCatalog => {
      if (last === undefined) throw new Error('catalog read before the config was loaded')
      return last
    }
  }
}

/** The schema facts of a catalog, in the shape the config schema builder takes. */
export function describeCatalog(catalog: PluginCatalog) {
  return {
    checks: catalog.checks.map((c) => ({
      type: c.shortName,
      package: c.name,
      ...(c.manifest.configSchema === undefined ? {} : { configSchema: c.manifest.configSchema }),
      ...(c.manifest.observations === undefined ? {} : { observations: c.manifest.observations }),
      ...(c.manifest.assertionContext === undefined ? {} : { assertionContext: c.manifest.assertionContext }),
      ...(c.manifest.defaultTimeout === undefined ? {} : { defaultTimeoutMs: parseDuration(c.manifest.defaultTimeout, `${c.name} defaultTimeout`) })
    })),
    storages: [
      {
        package: catalog.storage.name,
        name: catalog.storage.shortName,
        ...(catalog.storage.manifest.configSchema === undefined ? {} : { configSchema: catalog.storage.manifest.configSchema })
      }
    ],
    ...(catalog.cluster === undefined
      ? {}
      : { cluster: { package: catalog.cluster.name, name: catalog.cluster.shortName, ...(catalog.cluster.manifest.configSchema === undefined ? {} : { configSchema: catalog.cluster.manifest.configSchema }) } }),
    notifiers: catalog.notifiers.map((n) => ({
      type: n.shortName,
      package: n.name,
      ...(n.manifest.configSchema === undefined ? {} : { configSchema: n.manifest.configSchema })
    }))
  }
}

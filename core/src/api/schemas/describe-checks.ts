import type { CheckSchemaInfo } from '../../config/config-schema.js'
import type { Engine } from '../../engine/engine.js'

/** The loaded check plugins in the shape the schema builders take. */
export function describeCatalogChecks(engine: Engine): CheckSchemaInfo[] {
  return [...engine.checks.values()].map((c) => ({
    type: c.shortName,
    package: c.name,
    defaultTimeoutMs: c.defaultTimeoutMs,
    ...(c.manifest.configSchema === undefined ? {} : { configSchema: c.manifest.configSchema }),
    ...(c.manifest.observations === undefined ? {} : { observations: c.manifest.observations }),
    ...(c.manifest.assertionContext === undefined ? {} : { assertionContext: c.manifest.assertionContext })
  }))
}

import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import semver from 'semver'
import { API_VERSION, manifestSchema } from '@vedette/sdk'
import type { PluginManifest } from '@vedette/sdk'
import { compileSchema, describeAjvErrors } from '../ajv.js'
import { PluginApiVersionError, PluginEngineError, PluginManifestError } from '../errors.js'
import type { PluginDescriptor, PluginSource } from './plugin-descriptor.js'

interface PackageJson {
  name?: string
  version?: string
  main?: string
  exports?: unknown
  vedette?: unknown
}

const validateManifest = compileSchema(manifestSchema)

/**
 * Reads a plugin's package.json and checks, in order, the manifest's shape,
 * its apiVersion and its engine range — all before any plugin code runs, so
 * an incompatible plugin is reported as incompatible, never as "not found".
 */
export function readPluginManifest(dir: string, ref: string, source: PluginSource, engineVersion: string): PluginDescriptor {
  let pkg: PackageJson
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson
  } catch (err) {
    throw new PluginManifestError(ref, `cannot read package.json: ${(err as Error).message}`, { cause: err })
  }
  const name = pkg.name ?? ref
  if (pkg.vedette === undefined) {
    throw new PluginManifestError(name, 'the `vedette` field is missing; a plugin must declare kind, apiVersion and engine')
  }
  // Validate a copy: ajv's useDefaults must not write into the file's object.
  const manifest = structuredClone(pkg.vedette) as PluginManifest
  if (manifest !== null && typeof manifest === 'object' && typeof manifest.configSchema === 'string') {
    manifest.configSchema = readSchemaFile(dir, name, manifest.configSchema) as PluginManifest["configSchema"]
  }
  if (!validateManifest(manifest)) {
    throw new PluginManifestError(name, describeAjvErrors(validateManifest.errors), { details: validateManifest.errors })
  }
  if (manifest.configSchema !== undefined) {
    try {
      compileSchema(manifest.configSchema as object)
    } catch (err) {
      throw new PluginManifestError(name, `configSchema is not a valid JSON Schema: ${(err as Error).message}`)
    }
  }
  if (manifest.apiVersion !== API_VERSION) throw new PluginApiVersionError(name, manifest.apiVersion, API_VERSION)
  if (semver.validRange(manifest.engine) === null) {
    throw new PluginManifestError(name, `engine '${manifest.engine}' is not a semver range`)
  }
  if (!semver.satisfies(engineVersion, manifest.engine, { includePrerelease: true })) {
    throw new PluginEngineError(name, manifest.engine, engineVersion)
  }
  const entry = exportEntry(pkg.exports) ?? pkg.main ?? 'index.js'
  return {
    name,
    version: pkg.version ?? '0.0.0',
    kind: manifest.kind,
    shortName: manifest.name ?? name.replace(/^@[^/]+\//, '').replace(/^(check|notifier|storage|auth)-/, ''),
    manifest,
    dir,
    moduleUrl: pathToFileURL(resolve(dir, entry)).href,
    source
  }
}

function readSchemaFile(dir: string, name: string, file: string): object {
  try {
    return JSON.parse(readFileSync(resolve(dir, file), 'utf8')) as object
  } catch (err) {
    throw new PluginManifestError(name, `configSchema file '${file}' cannot be read: ${(err as Error).message}`)
  }
}

function exportEntry(exp: unknown): string | undefined {
  if (typeof exp === 'string') return exp
  if (exp === null || typeof exp !== 'object') return undefined
  const root = (exp as Record<string, unknown>)['.'] ?? exp
  if (typeof root === 'string') return root
  if (root === null || typeof root !== 'object') return undefined
  for (const cond of ['import', 'node', 'default']) {
    const v = (root as Record<string, unknown>)[cond]
    if (typeof v === 'string') return v
    if (v !== null && typeof v === 'object') {
      const d = (v as Record<string, unknown>).default
      if (typeof d === 'string') return d
    }
  }
  return undefined
}

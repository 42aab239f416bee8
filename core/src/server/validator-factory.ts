import AjvCompilerModule from '@fastify/ajv-compiler'
import type { FastifySchemaValidationError } from 'fastify'

type CompilerFactory = (externalSchemas: Record<string, unknown>, options: { customOptions: Record<string, unknown> }) => (route: RouteSchema) => unknown
interface RouteSchema {
  schema: unknown
  method: string
  url: string
  httpPart?: string
}

// CommonJS default export: under NodeNext the default import is the module object.
const AjvCompiler = ((AjvCompilerModule as unknown as { default?: () => CompilerFactory }).default ?? AjvCompilerModule) as unknown as () => CompilerFactory

const COMMON = { removeAdditional: false, useDefaults: false, discriminator: true, allErrors: true }

/**
 * Two ajv instances: query strings, params and headers arrive as text and
 * need coercion (`limit=50` is an integer); bodies are JSON and must not be
 * coerced — with coercion an integer matches both branches of
 * `oneOf: [integer, string]` (durations, status codes) and is refused.
 */
export function buildValidatorFactory(): (externalSchemas: Record<string, unknown>) => (route: RouteSchema) => unknown {
  const bodies = AjvCompiler()
  const text = AjvCompiler()
  return (externalSchemas) => {
    const forBody = bodies(externalSchemas, { customOptions: { ...COMMON, coerceTypes: false } })
    const forText = text(externalSchemas, { customOptions: { ...COMMON, coerceTypes: 'array' } })
    return (route) => (route.httpPart === 'body' ? forBody(route) : forText(route))
  }
}

export type { FastifySchemaValidationError }

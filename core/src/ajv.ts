import { Ajv } from 'ajv'
import { withFormats } from './ajv-formats.js'
import type { ErrorObject, ValidateFunction } from 'ajv'

/**
 * One ajv instance for plugin manifests and plugin configs: compiling a
 * schema is the expensive part, so compiled validators are cached by schema.
 */
const ajv = withFormats(new Ajv({ allErrors: true, strict: false, useDefaults: true }))
const cache = new WeakMap<object, ValidateFunction>()

export function compileSchema(schema: object | boolean): ValidateFunction {
  if (typeof schema === 'boolean') return ajv.compile(schema)
  let fn = cache.get(schema)
  if (fn === undefined) {
    fn = ajv.compile(schema)
    cache.set(schema, fn)
  }
  return fn
}

/** `"/url must be string; / must have required property 'port'"` */
export function describeAjvErrors(errors: readonly ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return 'invalid'
  return errors
    .map((e) => {
      const at = e.instancePath === '' ? '/' : e.instancePath
      if (e.keyword === 'additionalProperties') {
        return `${at} has unknown property '${String((e.params as { additionalProperty: string }).additionalProperty)}'`
      }
      if (e.keyword === 'enum') {
        return `${at} must be one of ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`
      }
      return `${at} ${e.message ?? 'is invalid'}`
    })
    .join('; ')
}

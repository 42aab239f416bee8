import type { Ajv } from 'ajv'
import formatsModule from 'ajv-formats'

// ajv-formats is CommonJS with `exports.default`: under NodeNext the default
// import is the module object, whose `.default` is the plugin function.
const addFormats = ((formatsModule as unknown as { default?: typeof formatsModule }).default ?? formatsModule) as unknown as (ajv: Ajv) => Ajv

/** Registers the standard string formats (uri, email, date-time, ...) so plugin schemas' `format` is enforced. */
export function withFormats(ajv: Ajv): Ajv {
  return addFormats(ajv)
}

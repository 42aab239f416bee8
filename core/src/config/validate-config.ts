import { withFormats } from '../ajv-formats.js'
import { pluginsOfSchema } from './config-schema.js'
import { Ajv } from 'ajv'
import type { ValidateFunction } from 'ajv'
import { sortConfigErrors } from './config-error.js'
import type { ConfigError } from './config-error.js'
import type { JsonSchemaObject } from './config-schema.js'
import { ConfigSchemaCompileError } from './errors.js'
import { humanizeAjvErrors } from './humanize-errors.js'
import type { SourcePosition } from './read-config.js'
import { semanticChecks } from './semantic-checks.js'

/** Maps a JSON pointer to where it was written; `ParsedConfig.locate` is one. */
export type Locate = (pointer: string) => SourcePosition | undefined

// One ajv per schema: the document schema has an `$id`, and ajv refuses two
// schemas with the same `$id` in one instance. Compiling is the slow part, so
// validators are kept for as long as their schema object lives.
const validators = new WeakMap<object, ValidateFunction>()

function validatorFor(schema: JsonSchemaObject): ValidateFunction {
  let validate = validators.get(schema)
  if (validate === undefined) {
    // verbose: errors carry the failing value and schema, which the messages
    // need. strict off: plugin schemas may use keywords ajv does not know, as
    // JSON Schema allows.
    const ajv = withFormats(new Ajv({ allErrors: true, verbose: true, strict: false }))
    try {
      validate = ajv.compile(schema)
    } catch (err) {
      throw new ConfigSchemaCompileError((err as Error).message, { cause: err })
    }
    validators.set(schema, validate)
  }
  return validate
}

/**
 * Validates a config document against the schema from `buildConfigSchema`,
 * then checks what a schema cannot (unique ids, cron, time zones, interval vs
 * timeout). Returns every problem found, in document order; an empty list
 * means the document is valid. The input is never modified.
 *
 * @param locate adds `line`/`column` to each error when the document came from text.
 * @example
 * const { input, locate } = parseConfigText(text, 'vedette.yaml')
 * const errors = validateConfig(input, buildConfigSchema(plugins), locate)
 */
export function validateConfig(input: unknown, schema: JsonSchemaObject, locate?: Locate): ConfigError[] {
  const validate = validatorFor(schema)
  const schemaErrors = validate(input) ? [] : humanizeAjvErrors(validate.errors ?? [], schema)
  // A value the schema already rejected is not reported twice.
  const flagged = new Set(schemaErrors.map((e) => e.pointer))
  const errors = [...schemaErrors, ...semanticChecks(input, pluginsOfSchema(schema)).filter((e) => !flagged.has(e.pointer))]
  if (locate === undefined) return sortConfigErrors(errors)
  return sortConfigErrors(
    errors.map(({ pointer, message, expected }) => ({
      pointer,
      ...locate(pointer),
      message,
      ...(expected === undefined ? {} : { expected })
    }))
  )
}

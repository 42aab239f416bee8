import type { JsonSchema } from '../manifest.js'
import { ASSERTION_OPERATORS } from './assertion-types.js'

const severity = { enum: ['critical', 'warning'] }

/**
 * JSON Schema (draft 2020-12) for one entry of a monitor's `assertions`: the
 * one-line string or the object tree. It checks shape only; sources, paths and
 * regexes are checked by `normalizeAssertions`, which gives precise messages.
 */
export const assertionSchema: JsonSchema = Object.freeze({
  $id: 'https://vedette.dev/schemas/assertion.json',
  $ref: '#/$defs/node',
  $defs: {
    node: {
      oneOf: [
        { type: 'string', minLength: 1, description: 'One-line form, e.g. "status in 200..299" or "latency < 2s warning"' },
        { $ref: '#/$defs/leaf' },
        { type: 'object', required: ['and'], additionalProperties: false, properties: { and: { type: 'array', minItems: 1, items: { $ref: '#/$defs/node' } }, severity } },
        { type: 'object', required: ['or'], additionalProperties: false, properties: { or: { type: 'array', minItems: 1, items: { $ref: '#/$defs/node' } }, severity } },
        { type: 'object', required: ['not'], additionalProperties: false, properties: { not: { $ref: '#/$defs/node' }, severity } }
      ]
    },
    leaf: {
      type: 'object',
      required: ['source', 'op'],
      additionalProperties: false,
      properties: {
        source: { type: 'string', pattern: '^[A-Za-z_][\\w.-]*$', description: 'status, latency, latency.<phase>, header.<name>, body, body.regex, json, tls.<fact>, dns.<fact>, tcp.<fact>, obs.<name> or an observation name' },
        path: { type: 'string', minLength: 1, description: 'JSONPath (RFC 9535) for json, regular expression for body.regex' },
        op: { enum: [...ASSERTION_OPERATORS] },
        target: { description: 'Compared value; durations like "2s", ranges like "200..299" or [200, 299] for in' },
        quantifier: { enum: ['any', 'all'] },
        severity
      }
    }
  }
})

import { createError } from '../errors.js'

// Assertion errors, raised when a monitor's config is read (never while a
// check runs: evaluation turns every problem into a failed result instead).
// Keep in step with docs/errors.md.

/** The one-line form could not be parsed; `details` is `{ column, expected, found, input }`. */
export const AssertionSyntaxError = createError<[number, string, string, string, string]>(
  'VDT_ERR_ASSERTION_SYNTAX',
  'column %d: expected %s but found %s in %s %j',
  400
)
/** A source whose prefix no check fills (`headers.x` instead of `header.x`). */
export const AssertionUnknownSourceError = createError<[string, string, string]>(
  'VDT_ERR_ASSERTION_UNKNOWN_SOURCE',
  "%s: unknown assertion source '%s' (%s)",
  400
)
export const AssertionUnknownOperatorError = createError<[string, string, string]>(
  'VDT_ERR_ASSERTION_UNKNOWN_OPERATOR',
  "%s: unknown assertion operator '%s' (expected one of %s)",
  400
)
/** Any other shape or target problem in the object form. */
export const InvalidAssertionError = createError<[string, string]>('VDT_ERR_ASSERTION_INVALID', '%s: %s', 400)

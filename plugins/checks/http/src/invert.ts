import type { CheckOutcome } from '@vedette/sdk'

/**
 * `invert: true`: the run is expected to fail. A `down` verdict becomes `up`
 * and an `up` one `down`, each message saying so; observations and phases are
 * kept as measured. Anything else passes through: the check itself only ever
 * says up or down, `degraded` comes later from warning assertions (judged on
 * the inverted verdict), and `unknown` (a config the check cannot run) is not
 * evidence of anything.
 *
 * @example
 * invertOutcome({ status: 'down', message: 'connection refused by db:5432' })
 * // { status: 'up', message: 'failed as expected (invert): connection refused by db:5432' }
 */
export function invertOutcome(outcome: CheckOutcome): CheckOutcome {
  if (outcome.status === 'down') {
    // A timeout that was expected is not a timeout of the monitor's making.
    const { reason: _reason, ...rest } = outcome
    return { ...rest, status: 'up', message: `failed as expected (invert): ${outcome.message ?? 'down'}` }
  }
  if (outcome.status === 'up') {
    return { ...outcome, status: 'down', message: `expected to fail but succeeded (invert): ${outcome.message ?? 'up'}` }
  }
  return outcome
}

import { defineCheck } from '@vedette/sdk'
import { compileHeartbeatConfig, type HeartbeatConfig } from './config.js'
import { InvalidHeartbeatConfigError } from './errors.js'
import { evaluateHeartbeat } from './evaluate-heartbeat.js'

/** Problems with a config beyond its schema, for config validation. */
export function validateHeartbeatConfig(config: HeartbeatConfig): string[] {
  const problems: string[] = []
  compileHeartbeatConfig(config, problems)
  return problems
}

/**
 * The heartbeat check probes nothing: the engine receives the job's pings on
 * the monitor's token URL and hands them to each run (`ctx.pushes`); a run is
 * the judgement of those pings at that moment. The engine runs it every
 * `interval` and right after each ping.
 */
export const heartbeatCheck = defineCheck<HeartbeatConfig>({
  validate: validateHeartbeatConfig,
  async run(ctx) {
    const problems: string[] = []
    const config = compileHeartbeatConfig(ctx.config, problems)
    if (config === undefined) throw new InvalidHeartbeatConfigError(problems.join('; '))
    const pushes = ctx.pushes ?? { pings: [], since: Date.now(), now: Date.now() }
    return evaluateHeartbeat(config, pushes)
  }
})

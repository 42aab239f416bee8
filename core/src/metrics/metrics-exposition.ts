import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Engine } from '../engine/engine.js'
import { collectProcessMetrics } from './process-metrics.js'
import { ProbeMetrics } from './probe-metrics.js'

/** The parts of an engine that /metrics reads. */
export type ExposedEngine = Pick<Engine, 'metrics' | 'poolStats' | 'onResult' | 'listMonitors' | 'getMonitor' | 'state'>

/** Probe chunks served between two turns of the event loop. */
const CHUNKS_PER_TURN = 4

/**
 * Everything `/metrics` serves for one engine: its prom-client registry
 * (engine series, pool gauges, process defaults) followed by the
 * per-monitor probe series. Built once per engine — see metricsExposition().
 */
export class MetricsExposition {
  readonly probes: ProbeMetrics
  readonly #engine: ExposedEngine

  constructor(engine: ExposedEngine) {
    this.#engine = engine
    engine.metrics.readPoolsFrom(() => engine.poolStats)
    collectProcessMetrics(engine.metrics.registry)
    this.probes = new ProbeMetrics({
      monitors: () => engine.listMonitors(),
      current: (tenantId, id) => engine.getMonitor(id, tenantId),
      status: (monitor) => engine.state.get(monitor.tenantId, monitor.id)?.status
    })
    engine.onResult((result, monitor) => this.probes.record(result, monitor))
  }

  /** `text/plain; version=0.0.4; charset=utf-8` */
  get contentType(): string {
    return this.#engine.metrics.registry.contentType
  }

  /**
   * The exposition as chunks of text. The registry is collected before the
   * first chunk, so a failing collector fails the request (a 500) instead
   * of cutting a response whose status was already sent. The probe chunks
   * give the event loop a turn every few thousand monitors: a scrape of
   * 100,000 monitors must not hold up the scheduler's timers.
   */
  async chunks(): Promise<AsyncIterable<string>> {
    const registryText = await this.#engine.metrics.registry.metrics()
    const probes = this.probes
    return (async function* () {
      yield registryText
      let n = 0
      for (const chunk of probes.render()) {
        yield chunk
        if (++n % CHUNKS_PER_TURN === 0) await nextTurn()
      }
    })()
  }
}

const expositions = new WeakMap<ExposedEngine, MetricsExposition>()

/**
 * The engine's one MetricsExposition, created on first use. One per engine
 * because the process defaults can be added to a registry only once and
 * two result subscriptions would do the same work twice.
 *
 * @example
 * for await (const chunk of await metricsExposition(engine).chunks()) res.write(chunk)
 */
export function metricsExposition(engine: ExposedEngine): MetricsExposition {
  let exposition = expositions.get(engine)
  if (exposition === undefined) {
    exposition = new MetricsExposition(engine)
    expositions.set(engine, exposition)
  }
  return exposition
}

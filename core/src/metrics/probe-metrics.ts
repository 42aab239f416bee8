import type { CheckResult, MonitorStatus } from '@vedette/sdk'
import type { Monitor } from '../config/types.js'
import { certExpirySeconds } from './cert-expiry.js'
import { MONITOR_STATUS_CODES } from './monitor-status-code.js'
import { escapeLabelValue, familyHeader, formatSampleValue } from './prom-text.js'

/** What the probe series need to know about the monitors that exist now. */
export interface ProbeSource {
  /** Every monitor the engine knows; series of any other monitor are dropped. */
  monitors(): Iterable<Monitor>
  /** The monitor with this id as it is now, undefined once removed. */
  current(tenantId: string, id: string): Monitor | undefined
  /** Kept status; undefined before the state engine has seen the monitor. */
  status(monitor: Monitor): MonitorStatus | undefined
}

export interface ProbeMetricsOptions {
  /** Monitors per chunk that render() yields (a scrape of 100,000 monitors must not be one 100 MB string). */
  chunkSize?: number
}

/** One monitor's last probe, with its label text rendered once rather than at every scrape. */
interface Entry {
  tenantId: string
  id: string
  /** The definition `labels` was rendered from; another object means the monitor was upserted. */
  monitor: Monitor | undefined
  labels: string
  /** Render pass that last saw the monitor alive. */
  seen: number
  hasResult: boolean
  success: number
  /** Undefined until a run reached the target (only overloaded runs so far). */
  durationSeconds: number | undefined
  /** [escaped phase name, seconds] of the latest run that measured any. */
  phases: Array<readonly [string, number]>
  certExpiry: number | undefined
}

/**
 * Per-monitor series in the spirit of blackbox_exporter's `probe_*`, kept
 * outside prom-client: its label-set hashing and per-sample formatting cost
 * about 5× more than these cached label strings (measured with 100,000
 * monitors × 9 series: 4–6 s to build the text against about 1 s), and render() can
 * hand its text over in chunks where prom-client builds one 110 MB string.
 *
 * Removal needs no signal from the engine: every render walks the source's
 * monitors and drops entries of monitors that are gone, and record() sweeps
 * the same way once entries outgrow the monitors (so an engine nobody
 * scrapes does not keep every monitor it ever had).
 */
export class ProbeMetrics {
  readonly #source: ProbeSource
  readonly #chunkSize: number
  /**
   * tenant → monitor id → entry. Two levels rather than one `${tenant}/${id}`
   * key: a fresh key string per lookup must be flattened and hashed, which
   * made the key building most of a 100,000-monitor scrape; the id strings
   * of monitor objects keep their hash.
   */
  readonly #entries = new Map<string, Map<string, Entry>>()
  #size = 0
  #pass = 0
  #sweepAt = 1024

  constructor(source: ProbeSource, options: ProbeMetricsOptions = {}) {
    const chunkSize = options.chunkSize ?? 1000
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`)
    this.#source = source
    this.#chunkSize = chunkSize
  }

  /** Monitors with an entry (some may be gone until the next render or sweep). */
  get size(): number {
    return this.#size
  }

  /** Takes one final result; the engine calls this through onResult. */
  record(result: CheckResult, monitor: Monitor): void {
    // A run that was in flight while its monitor was removed may land here too:
    // render() never shows it (the monitor is not in the source) and drops it.
    const entry = this.#entry(monitor.tenantId, monitor.id)
    if (this.#size > this.#sweepAt) this.#sweep()
    entry.hasResult = true
    entry.success = result.status === 'up' || result.status === 'degraded' ? 1 : 0
    // An overloaded run never reached the target: there is no duration or phase to report, only the failure.
    if (result.reason !== 'overloaded') {
      entry.durationSeconds = msToSeconds(result.latencyMs)
      const phases: Array<readonly [string, number]> = []
      for (const [phase, ms] of Object.entries(result.phases ?? {})) {
        if (typeof ms === 'number' && Number.isFinite(ms)) phases.push([escapeLabelValue(phase), msToSeconds(ms)])
      }
      // A failed connect reports fewer phases: stale ones from an earlier run would mislead, so replace the set.
      entry.phases = phases
    }
    const expiry = certExpirySeconds(result.observations, result.startedAt)
    if (expiry !== undefined) entry.certExpiry = expiry
  }

  /**
   * The exposition text of every per-monitor family, in chunks of
   * `chunkSize` monitors. Families whose every monitor lacks a value are left
   * out. Each family walks the same snapshot, so a monitor added or removed
   * mid-scrape can never produce a duplicate series.
   */
  *render(): Generator<string> {
    const live = this.#snapshot()
    yield* this.#family('vedette_monitor_status', STATUS_HELP, live, (e) =>
      `vedette_monitor_status{${e.labels}} ${MONITOR_STATUS_CODES[this.#source.status(e.monitor as Monitor) ?? 'pending']}\n`
    )
    yield* this.#family('vedette_probe_success', 'Whether the latest run succeeded: 1 when up or degraded, 0 otherwise', live, (e) =>
      e.hasResult ? `vedette_probe_success{${e.labels}} ${e.success}\n` : undefined
    )
    yield* this.#family('vedette_probe_duration_seconds', 'Duration of the latest run as measured by the check', live, (e) =>
      e.durationSeconds !== undefined ? `vedette_probe_duration_seconds{${e.labels}} ${formatSampleValue(e.durationSeconds)}\n` : undefined
    )
    yield* this.#family('vedette_probe_phase_duration_seconds', 'Duration of each phase of the latest run that measured phases (dns, connect, tls, ttfb, transfer, ...)', live, (e) => {
      if (e.phases.length === 0) return undefined
      let lines = ''
      for (const [phase, seconds] of e.phases) lines += `vedette_probe_phase_duration_seconds{${e.labels},phase="${phase}"} ${formatSampleValue(seconds)}\n`
      return lines
    })
    yield* this.#family('vedette_probe_ssl_earliest_cert_expiry', 'Earliest expiry of the certificates the latest reporting run saw, in epoch seconds', live, (e) =>
      e.certExpiry !== undefined ? `vedette_probe_ssl_earliest_cert_expiry{${e.labels}} ${e.certExpiry}\n` : undefined
    )
  }

  /** Entries of the enabled monitors that exist now, labels brought up to date; the rest are dropped. */
  #snapshot(): Entry[] {
    const pass = ++this.#pass
    const live: Entry[] = []
    for (const monitor of this.#source.monitors()) {
      // A disabled monitor runs no probes: a last value frozen in time would read as current.
      if (!monitor.enabled) continue
      const entry = this.#entry(monitor.tenantId, monitor.id)
      if (entry.monitor !== monitor) {
        // An upsert may have turned an https monitor into a tcp one: only a new result may vouch for a certificate.
        if (entry.monitor !== undefined) entry.certExpiry = undefined
        entry.monitor = monitor
        entry.labels = renderLabels(monitor)
      }
      entry.seen = pass
      live.push(entry)
    }
    if (this.#size > live.length) this.#drop((entry) => entry.seen !== pass)
    this.#sweepAt = Math.max(1024, live.length * 2)
    return live
  }

  /** Drops entries of removed monitors between scrapes (nobody may scrape at all); amortised O(1) per record. */
  #sweep(): void {
    this.#drop((entry) => this.#source.current(entry.tenantId, entry.id) === undefined)
    this.#sweepAt = Math.max(1024, this.#size * 2)
  }

  #entry(tenantId: string, id: string): Entry {
    let byId = this.#entries.get(tenantId)
    if (byId === undefined) {
      byId = new Map()
      this.#entries.set(tenantId, byId)
    }
    let entry = byId.get(id)
    if (entry === undefined) {
      entry = newEntry(tenantId, id)
      byId.set(id, entry)
      this.#size++
    }
    return entry
  }

  #drop(gone: (entry: Entry) => boolean): void {
    for (const [tenantId, byId] of this.#entries) {
      for (const [id, entry] of byId) {
        if (!gone(entry)) continue
        byId.delete(id)
        this.#size--
      }
      if (byId.size === 0) this.#entries.delete(tenantId)
    }
  }

  *#family(name: string, help: string, live: readonly Entry[], line: (entry: Entry) => string | undefined): Generator<string> {
    let chunk = ''
    let inChunk = 0
    let started = false
    for (const entry of live) {
      const text = line(entry)
      if (text === undefined) continue
      if (!started) {
        chunk += familyHeader(name, help, 'gauge')
        started = true
      }
      chunk += text
      if (++inChunk === this.#chunkSize) {
        yield chunk
        chunk = ''
        inChunk = 0
      }
    }
    if (chunk !== '') yield chunk
  }
}

const STATUS_HELP = 'Kept status of the monitor: 0 down, 1 up, 2 pending, 3 maintenance, 4 degraded, 5 paused'

/**
 * Microsecond resolution: no check timer is finer, and `0.001557604999999967`
 * (performance.now() arithmetic) costs a scrape of 100,000 monitors megabytes.
 */
function msToSeconds(ms: number): number {
  return Math.round(ms * 1000) / 1e6
}

function newEntry(tenantId: string, id: string): Entry {
  return { tenantId, id, monitor: undefined, labels: '', seen: 0, hasResult: false, success: 0, durationSeconds: undefined, phases: [], certExpiry: undefined }
}

/**
 * `monitor`, `tenant`, `type` and all tags as one sorted, comma-joined `tags`
 * label: a label per tag would give monitors different label names, and
 * series whose label set changes whenever a tag is added break every query.
 * `tenant` keeps two tenants' monitors with the same id from colliding.
 */
function renderLabels(monitor: Monitor): string {
  const tags = [...new Set(monitor.tags)].sort().join(',')
  return `monitor="${escapeLabelValue(monitor.id)}",tenant="${escapeLabelValue(monitor.tenantId)}",type="${escapeLabelValue(monitor.type)}",tags="${escapeLabelValue(tags)}"`
}

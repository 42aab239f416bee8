import type { Metric } from '@vedette/sdk'

/**
 * A plugin's output split the way the Nagios plugin guidelines lay it out:
 *
 * ```
 * TEXT OUTPUT | OPTIONAL PERFDATA
 * LONG TEXT LINE 1
 * LONG TEXT LINE N | PERFDATA LINE 2
 * PERFDATA LINE 3
 * ```
 *
 * https://nagios-plugins.org/doc/guidelines.html#AEN200
 */
export interface PluginOutput {
  /** The first line's text, before any `|`, trimmed. */
  summary: string
  /** Long text lines after the first, up to the one holding the second `|`. */
  longText: string[]
  /** Every perfdata part, joined by spaces. */
  perfdata: string
}

/** One perfdata entry as written, with its thresholds still raw. */
export interface PerfDatum {
  label: string
  /** `undefined` for the `U` ("could not be determined") value. */
  value: number | undefined
  unit: string
  warn: string
  crit: string
  min: number | undefined
  max: number | undefined
}

export interface ParsedPerfdata {
  data: PerfDatum[]
  /** Entries that do not follow the format, as written; they are skipped. */
  invalid: string[]
}

/**
 * Splits a plugin's stdout into summary, long text and perfdata.
 *
 * @example
 * splitPluginOutput('DISK OK | /=2643MB;5948;5958;0;5968\n/boot 68 MB (69%); | /boot=68MB;88;93;0;98')
 * // { summary: 'DISK OK', longText: ['/boot 68 MB (69%);'], perfdata: '/=2643MB;5948;5958;0;5968 /boot=68MB;88;93;0;98' }
 */
export function splitPluginOutput(stdout: string): PluginOutput {
  const lines = stdout.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n')
  const [first = '', ...rest] = lines
  const bar = first.indexOf('|')
  const summary = (bar === -1 ? first : first.slice(0, bar)).trim()
  const perf: string[] = bar === -1 ? [] : [first.slice(bar + 1)]
  const longText: string[] = []
  let inPerf = false
  for (const line of rest) {
    if (inPerf) {
      perf.push(line)
      continue
    }
    const at = line.indexOf('|')
    if (at === -1) {
      longText.push(line)
      continue
    }
    // The guidelines put the second `|` at the end of the long text; every line after it is perfdata.
    if (line.slice(0, at).trim() !== '') longText.push(line.slice(0, at))
    perf.push(line.slice(at + 1))
    inPerf = true
  }
  return { summary, longText, perfdata: perf.map((p) => p.trim()).filter((p) => p !== '').join(' ') }
}

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/

/**
 * Parses perfdata: space-separated `'label'=value[UOM];[warn];[crit];[min];[max]`.
 * Labels with spaces are single-quoted, a quote inside one is doubled (`'it''s'`);
 * trailing empty fields may be left out; the value `U` means undetermined.
 *
 * @example
 * parsePerfdata("time=0.000573s;;;0.000000;10.000000 'disk used'=5GB;8;9")
 */
export function parsePerfdata(text: string): ParsedPerfdata {
  const data: PerfDatum[] = []
  const invalid: string[] = []
  let i = 0
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] as string)) i++
    if (i >= text.length) break
    const start = i
    let label = ''
    let ok = true
    if (text[i] === "'") {
      i++
      for (;;) {
        if (i >= text.length) {
          // Unterminated: treat it as a bad entry up to the next whitespace.
          ok = false
          i = start
          break
        }
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            label += "'"
            i += 2
            continue
          }
          i++
          break
        }
        label += text[i]
        i++
      }
      if (ok && text[i] !== '=') ok = false
    } else {
      while (i < text.length && text[i] !== '=' && !/\s/.test(text[i] as string)) label += text[i++]
      if (text[i] !== '=') ok = false
    }
    // The value part runs to the next whitespace; a bad entry is skipped up to there too.
    while (i < text.length && !/\s/.test(text[i] as string)) i++
    const entry = text.slice(start, i)
    const datum = ok && label !== '' ? parseValue(label, entry.slice(entry.lastIndexOf('=') + 1)) : undefined
    if (datum === undefined) invalid.push(entry)
    else data.push(datum)
  }
  return { data, invalid }
}

function parseValue(label: string, spec: string): PerfDatum | undefined {
  const [valueUnit = '', warn = '', crit = '', min = '', max = ''] = spec.split(';')
  if (spec.split(';').length > 5) return undefined
  let value: number | undefined
  let unit: string
  if (valueUnit === 'U') {
    value = undefined
    unit = ''
  } else {
    const m = NUMBER.exec(valueUnit)
    if (m === null) return undefined
    value = Number(m[0])
    unit = valueUnit.slice(m[0].length)
    if (/[\d;]/.test(unit)) return undefined
  }
  if (!isRange(warn) || !isRange(crit)) return undefined
  const minN = optionalNumber(min)
  const maxN = optionalNumber(max)
  if (minN === null || maxN === null) return undefined
  return { label, value, unit, warn, crit, min: minN, max: maxN }
}

/** `undefined` for an empty field, `null` for one that is not a number. */
function optionalNumber(s: string): number | undefined | null {
  if (s === '') return undefined
  const m = NUMBER.exec(s)
  return m !== null && m[0].length === s.length ? Number(m[0]) : null
}

const RANGE = /^@?(?:(?:~|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)?:)?(?:[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)?$/

/**
 * Whether `s` is empty or a threshold range: `10`, `10:`, `~:10`, `10:20`, `@10:20`.
 * https://nagios-plugins.org/doc/guidelines.html#THRESHOLDFORMAT
 */
export function isRange(s: string): boolean {
  return s === '' || (RANGE.test(s) && s !== '@')
}

/**
 * The numeric upper bound of a threshold range (what `warn`/`crit` of a metric
 * hold): `10` → 10, `@10:20` → 20, `~:5` → 5; `undefined` when there is none
 * (`10:` is "alert below 10", unbounded above).
 */
export function rangeUpperBound(range: string): number | undefined {
  if (range === '') return undefined
  const body = range.startsWith('@') ? range.slice(1) : range
  const colon = body.indexOf(':')
  const end = colon === -1 ? body : body.slice(colon + 1)
  return end === '' ? undefined : Number(end)
}

/** Perfdata as SDK metrics; undetermined (`U`) values are left out. */
export function toMetrics(data: readonly PerfDatum[]): Metric[] {
  const metrics: Metric[] = []
  for (const d of data) {
    if (d.value === undefined) continue
    const metric: Metric = { label: d.label, value: d.value }
    if (d.unit !== '') metric.unit = d.unit
    const warn = rangeUpperBound(d.warn)
    const crit = rangeUpperBound(d.crit)
    if (warn !== undefined) metric.warn = warn
    if (crit !== undefined) metric.crit = crit
    if (d.min !== undefined) metric.min = d.min
    if (d.max !== undefined) metric.max = d.max
    metrics.push(metric)
  }
  return metrics
}

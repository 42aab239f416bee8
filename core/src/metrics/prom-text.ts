/**
 * The few pieces of the Prometheus text exposition format (version 0.0.4)
 * that the per-monitor series render by hand; prom-client renders the rest.
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */

const LABEL_SPECIALS = /[\\"\n]/

/** A label value between double quotes: backslash, quote and newline are escaped. */
export function escapeLabelValue(value: string): string {
  // Nearly every value (ids, types, tags) needs no escaping: skip the three replaces then.
  if (!LABEL_SPECIALS.test(value)) return value
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

/** A sample value: Go's ParseFloat reads JS number text, except for the non-finite spellings. */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return '+Inf'
  if (value === -Infinity) return '-Inf'
  return String(value)
}

/** The `# HELP` and `# TYPE` lines that open a metric family. */
export function familyHeader(name: string, help: string, type: 'gauge' | 'counter'): string {
  return `# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${name} ${type}\n`
}

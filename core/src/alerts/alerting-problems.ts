import type { ConfigError } from '../config/config-error.js'
import { durationOf } from '../config/semantic-checks.js'
import type { AlertingInput } from './alerting-types.js'
import { templateProblem } from '../notify/templates.js'
import { maintenanceProblems } from './maintenance-windows.js'
import { quietHoursProblems } from './quiet-hours.js'
import { silenceProblems } from './silences.js'

type Doc = Record<string, unknown>

/**
 * Rules of the alerting config that JSON Schema cannot express: unique ids
 * in each list, references to channels, users, escalation policies and
 * monitors that exist, time zones, cron, times in order, maintenance
 * schedules of exactly one form, escalation steps in order. Runs on
 * documents that may also have schema errors, so a malformed value is
 * skipped (the schema reports it). Pointers are from the document root
 * (`/alerts/rules/0/channels/1`).
 *
 * @param monitorIds the ids of the document's monitors, for `monitors.ids` in rules, silences and windows.
 */
export function alertingProblems(input: AlertingInput, monitorIds: ReadonlySet<string>): ConfigError[] {
  const out: ConfigError[] = []
  const doc: Doc = isRecord(input) ? (input as Doc) : {}
  const alerts = isRecord(doc.alerts) ? doc.alerts : {}
  const channels = records(doc.channels, '/channels')
  const users = records(doc.users, '/users')
  const rules = records(alerts.rules, '/alerts/rules')
  const policies = records(alerts.escalationPolicies, '/alerts/escalationPolicies')
  const channelIds = uniqueIds(channels, '/channels', 'channel', out)
  const userIds = uniqueIds(users, '/users', 'user', out)
  const policyIds = uniqueIds(policies, '/alerts/escalationPolicies', 'escalation policy', out)
  uniqueIds(rules, '/alerts/rules', 'rule', out)

  const ref = (value: unknown, at: string, known: ReadonlySet<string>, what: string): void => {
    if (typeof value === 'string' && !known.has(value)) out.push({ pointer: at, message: `no ${what} has the id "${value}"` })
  }
  const refs = (value: unknown, at: string, known: ReadonlySet<string>, what: string): void => {
    if (Array.isArray(value)) value.forEach((v, j) => ref(v, `${at}/${j}`, known, what))
  }
  const selector = (value: unknown, at: string): void => refs(isRecord(value) ? value.ids : undefined, `${at}/ids`, monitorIds, 'monitor')
  const templates = (value: unknown, at: string): void => {
    if (!isRecord(value)) return
    for (const part of ['title', 'text', 'html']) {
      const problem = typeof value[part] === 'string' ? templateProblem(value[part] as string) : undefined
      if (problem !== undefined) out.push({ pointer: `${at}/${part}`, message: `template does not parse: ${problem}` })
    }
  }
  for (const [c, at] of channels) templates(c.template, `${at}/template`)
  for (const [r, at] of rules) templates(r.template, `${at}/template`)
  const positive = (value: unknown, at: string): void => {
    if (durationOf(value) === 0) out.push({ pointer: at, message: 'must be greater than 0' })
  }

  channels.forEach(([c, at]) => {
    if (typeof c.fallback === 'string' && c.fallback === c.id) out.push({ pointer: `${at}/fallback`, message: 'must name another channel, not this one' })
    else ref(c.fallback, `${at}/fallback`, channelIds, 'channel')
    if (isRecord(c.delivery)) out.push(...deliveryProblems(c.delivery, `${at}/delivery`))
  })
  users.forEach(([u, at]) => {
    refs(u.contacts, `${at}/contacts`, channelIds, 'channel')
    const prefs = isRecord(u.preferences) ? u.preferences : {}
    const contacts = new Set(Array.isArray(u.contacts) ? u.contacts.filter((x): x is string => typeof x === 'string') : [])
    if (Array.isArray(prefs.channels)) {
      prefs.channels.forEach((ch, j) => {
        if (typeof ch === 'string' && !contacts.has(ch)) out.push({ pointer: `${at}/preferences/channels/${j}`, message: `"${ch}" is not one of this user's contacts` })
      })
    }
    if (isRecord(prefs.quietHours)) out.push(...quietHoursProblems(prefs.quietHours, `${at}/preferences/quietHours`))
  })
  rules.forEach(([r, at]) => {
    refs(r.channels, `${at}/channels`, channelIds, 'channel')
    ref(r.escalation, `${at}/escalation`, policyIds, 'escalation policy')
    selector(r.monitors, `${at}/monitors`)
    positive(r.reminderEvery, `${at}/reminderEvery`)
  })
  if (isRecord(alerts.defaults)) {
    refs(alerts.defaults.channels, '/alerts/defaults/channels', channelIds, 'channel')
    ref(alerts.defaults.escalation, '/alerts/defaults/escalation', policyIds, 'escalation policy')
    positive(alerts.defaults.reminderEvery, '/alerts/defaults/reminderEvery')
  }
  if (isRecord(alerts.delivery)) out.push(...deliveryProblems(alerts.delivery, '/alerts/delivery'))
  policies.forEach(([p, at]) => {
    let previous = 0
    records(p.steps, `${at}/steps`).forEach(([step, stepAt]) => {
      refs(step.channels, `${stepAt}/channels`, channelIds, 'channel')
      refs(step.users, `${stepAt}/users`, userIds, 'user')
      const none = (list: unknown): boolean => !Array.isArray(list) || list.length === 0
      if (none(step.channels) && none(step.users)) out.push({ pointer: stepAt, message: 'must notify someone: give channels or users' })
      const after = durationOf(step.after)
      if (after !== undefined && after < previous) out.push({ pointer: `${stepAt}/after`, message: "must not be earlier than the previous step's after (steps count from when the alert fired)" })
      if (after !== undefined) previous = after
    })
    if ((p.repeat === true || (typeof p.repeat === 'number' && p.repeat > 0)) && previous === 0) {
      out.push({ pointer: `${at}/repeat`, message: "needs the last step's after to be greater than 0, or the steps would repeat without pause" })
    }
  })
  records(alerts.silences, '/alerts/silences').forEach(([s, at]) => {
    out.push(...silenceProblems(s, at))
    selector(s.monitors, `${at}/monitors`)
  })
  uniqueIds(records(alerts.silences, '/alerts/silences'), '/alerts/silences', 'silence', out)
  records(alerts.maintenance, '/alerts/maintenance').forEach(([m, at]) => {
    out.push(...maintenanceProblems(m, at))
    selector(m.monitors, `${at}/monitors`)
  })
  uniqueIds(records(alerts.maintenance, '/alerts/maintenance'), '/alerts/maintenance', 'maintenance window', out)
  out.push(...fallbackLoops(channels))
  return out
}

function deliveryProblems(d: Doc, at: string): ConfigError[] {
  const out: ConfigError[] = []
  if (durationOf(d.timeout) === 0) out.push({ pointer: `${at}/timeout`, message: 'must be greater than 0' })
  const backoff = durationOf(d.backoff)
  const max = durationOf(d.maxBackoff)
  if (backoff !== undefined && max !== undefined && max < backoff) out.push({ pointer: `${at}/maxBackoff`, message: 'must not be shorter than backoff' })
  return out
}

/** Channels whose fallbacks lead back to themselves: a failing one would alert itself through the others. */
function fallbackLoops(channels: Array<[Doc, string]>): ConfigError[] {
  const next = new Map<string, string>()
  const where = new Map<string, string>()
  for (const [c, at] of channels) {
    if (typeof c.id !== 'string' || where.has(c.id)) continue
    where.set(c.id, at)
    if (typeof c.fallback === 'string' && c.fallback !== c.id) next.set(c.id, c.fallback)
  }
  const out: ConfigError[] = []
  const reported = new Set<string>()
  for (const [id, at] of where) {
    const path = [id]
    for (let at2 = next.get(id); at2 !== undefined && !path.includes(at2); at2 = next.get(at2)) path.push(at2)
    const last = path[path.length - 1] as string
    if (next.get(last) !== id || path.some((p) => reported.has(p))) continue
    path.forEach((p) => reported.add(p))
    out.push({ pointer: `${at}/fallback`, message: `fallback loop: ${[...path, id].map((p) => `"${p}"`).join(' → ')}` })
  }
  return out
}

function uniqueIds(list: Array<[Doc, string]>, base: string, what: string, out: ConfigError[]): Set<string> {
  const first = new Map<string, string>()
  for (const [item, at] of list) {
    if (typeof item.id !== 'string') continue
    const seen = first.get(item.id)
    if (seen === undefined) first.set(item.id, at)
    else out.push({ pointer: `${at}/id`, message: `duplicate ${what} id "${item.id}" (already used by ${seen})`, expected: `an id no other ${what} in ${base} has` })
  }
  return new Set(first.keys())
}

/** The objects of a list with their pointers; other entries are the schema's to report. */
function records(value: unknown, base: string): Array<[Doc, string]> {
  if (!Array.isArray(value)) return []
  return value.flatMap((v, i) => (isRecord(v) ? [[v, `${base}/${i}`] as [Doc, string]] : []))
}

function isRecord(value: unknown): value is Doc {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

import Mustache from 'mustache'
import type { AlertSeverity, Notification, NotificationAlert, NotificationEvent } from '@vedette/sdk'

/** Title, text and HTML templates (Mustache); any part left out falls back to the next level. */
export interface Templates {
  title?: string
  text?: string
  html?: string
}

/**
 * The engine's default templates. Placeholders (docs/alerts.md): `event`,
 * `eventText`, `severity`, `SEVERITY`, `count`, `grouped`, `alert.*` and
 * `monitor.*` (the first alert), and `alerts` (each with `monitorName`,
 * `status`, `summary`, `severity`, `SEVERITY`, `url`, `failedAssertions`).
 */
export const DEFAULT_TEMPLATES: Required<Templates> = {
  title: '{{#grouped}}{{count}} alerts {{eventText}}{{/grouped}}{{^grouped}}[{{SEVERITY}}] {{monitor.name}} {{eventText}}{{/grouped}}',
  text: [
    '{{#alerts}}',
    '• [{{SEVERITY}}] {{monitorName}} ({{monitorId}}): {{status}} — {{summary}}',
    '{{#failedAssertions}}',
    '    ✗ {{assertion}}: got {{actual}}, expected {{expected}}',
    '{{/failedAssertions}}',
    '{{#acknowledgedBy}}    acknowledged by {{acknowledgedBy}}{{/acknowledgedBy}}',
    '{{#url}}    {{url}}{{/url}}',
    '{{/alerts}}',
    '{{#more}}… and {{more}} more{{/more}}'
  ].join('\n'),
  html: [
    '<p><strong>{{#grouped}}{{count}} alerts {{eventText}}{{/grouped}}{{^grouped}}{{monitor.name}} {{eventText}}{{/grouped}}</strong></p>',
    '<ul>{{#alerts}}<li><strong>[{{SEVERITY}}] {{monitorName}}</strong>: {{status}} — {{summary}}',
    '{{#failedAssertions.length}}<ul>{{#failedAssertions}}<li><code>{{assertion}}</code>: got {{actual}}, expected {{expected}}</li>{{/failedAssertions}}</ul>{{/failedAssertions.length}}',
    '{{#url}} <a href="{{url}}">open</a>{{/url}}</li>{{/alerts}}</ul>',
    '{{#more}}<p>… and {{more}} more</p>{{/more}}'
  ].join('')
}

/** Most alerts listed in one grouped message; the rest are counted. */
export const MAX_LISTED = 20

const EVENT_TEXT: Record<NotificationEvent, (a: readonly NotificationAlert[]) => string> = {
  firing: () => 'firing',
  reminder: () => 'still firing (reminder)',
  escalation: () => 'firing, not acknowledged (escalated)',
  acknowledged: (a) => `acknowledged${a[0]?.acknowledgedBy ? ` by ${a[0].acknowledgedBy}` : ''}`,
  resolved: () => 'resolved',
  test: () => 'test notification'
}

const RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 }

/** Checks a template parses; the message names the problem (for config validation). */
export function templateProblem(template: string): string | undefined {
  try {
    Mustache.parse(template)
    return undefined
  } catch (err) {
    return (err as Error).message
  }
}

/**
 * A notification for one channel from one or more alerts, rendered with the
 * first template found per part that parses: `preferred` (rule, channel,
 * plugin kind, in that order) then the defaults.
 */
export function renderNotification(
  event: NotificationEvent,
  alerts: readonly NotificationAlert[],
  idempotencyKey: string,
  preferred: ReadonlyArray<Templates | undefined>,
  now: number
): Notification {
  const severity = alerts.reduce<AlertSeverity>((worst, a) => (RANK[a.severity] > RANK[worst] ? a.severity : worst), 'info')
  const listed = alerts.slice(0, MAX_LISTED)
  const first = alerts[0]
  const view = {
    event,
    eventText: EVENT_TEXT[event](alerts),
    severity,
    SEVERITY: severity.toUpperCase(),
    count: alerts.length,
    grouped: alerts.length > 1,
    more: alerts.length > MAX_LISTED ? alerts.length - MAX_LISTED : 0,
    alert: first ?? {},
    monitor: first ? { id: first.monitorId, name: first.monitorName, status: first.monitorStatus } : { id: '', name: 'Vedette', status: '' },
    alerts: listed.map((a) => ({
      ...a,
      SEVERITY: a.severity.toUpperCase(),
      failedAssertions: a.failedAssertions.map((f) => ({ ...f, actual: show(f.actual), expected: show(f.expected) }))
    }))
  }
  const problems: string[] = []
  // A template that does not parse falls back to the next level instead of
  // throwing: a throw here happens inside delivery, before the attempt is
  // settled, so the notification would stay leased and never be sent,
  // retried or dead-lettered. The problem travels in `data.templateProblems`.
  const render = (part: keyof Templates, options?: { escape: (value: unknown) => string }): string => {
    for (const template of preferred.map((t) => t?.[part])) {
      if (template === undefined) continue
      try {
        return Mustache.render(template, view, {}, options)
      } catch (err) {
        problems.push(`${part}: ${(err as Error).message}`)
      }
    }
    return Mustache.render(DEFAULT_TEMPLATES[part], view, {}, options)
  }
  const plain = { escape: (value: unknown) => String(value) }
  return {
    idempotencyKey,
    event,
    title: render('title', plain).trim(),
    text: render('text', plain).replace(/\n{2,}/g, '\n').trim(),
    html: render('html'),
    severity,
    alerts: [...alerts],
    createdAt: now,
    data: problems.length > 0 ? { templateProblems: problems } : {}
  }
}

function show(value: unknown): string {
  if (value === undefined) return '—'
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > 120 ? `${text.slice(0, 120)}…` : text
}

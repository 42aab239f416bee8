import { MAX_LISTED_ALERTS, MAX_LISTED_ASSERTIONS, capped, clip, describeAssertion, formatDuration } from '@vedette/sdk'
import type { AlertSeverity, Notification, NotificationAlert } from '@vedette/sdk'

// The message a Workflows "When a Teams webhook request is received" flow
// posts: https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook
// Teams renders Adaptive Cards up to schema 1.5 on desktop and 1.4 everywhere,
// so the card sticks to 1.4 elements: TextBlock, FactSet, Container, Action.OpenUrl.

export type CardColor = 'Default' | 'Accent' | 'Good' | 'Warning' | 'Attention'

export interface TextBlock {
  type: 'TextBlock'
  text: string
  wrap: true
  size?: 'Small' | 'Medium' | 'Large'
  weight?: 'Bolder'
  color?: CardColor
  isSubtle?: boolean
  spacing?: 'None' | 'Small' | 'Medium'
}
export interface FactSet {
  type: 'FactSet'
  facts: Array<{ title: string; value: string }>
}
export interface Container {
  type: 'Container'
  separator: true
  spacing: 'Medium'
  items: Array<TextBlock | FactSet>
}
export type CardElement = TextBlock | FactSet | Container

export interface OpenUrlAction {
  type: 'Action.OpenUrl'
  title: string
  url: string
}

export interface AdaptiveCard {
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json'
  type: 'AdaptiveCard'
  version: '1.4'
  body: CardElement[]
  actions?: OpenUrlAction[]
  /** Teams extension: use the whole width of the conversation. */
  msteams: { width: 'Full' }
}

/** The JSON body posted to the Workflows webhook. */
export interface TeamsMessage {
  type: 'message'
  attachments: Array<{
    contentType: 'application/vnd.microsoft.card.adaptive'
    contentUrl: null
    content: AdaptiveCard
  }>
}

// Teams shows at most 6 buttons; past that they fold into a "..." menu.
const MAX_ACTIONS = 6

const SEVERITY_COLOR: Record<AlertSeverity, CardColor> = { critical: 'Attention', warning: 'Warning', info: 'Accent' }

/** The Adaptive Card message for a notification: one card, alerts listed up to MAX_LISTED_ALERTS. */
export function buildTeamsMessage(notification: Notification): TeamsMessage {
  const { shown, more } = capped(notification.alerts, MAX_LISTED_ALERTS)
  const titleColor: CardColor = notification.event === 'resolved' ? 'Good' : notification.event === 'test' ? 'Default' : SEVERITY_COLOR[notification.severity]
  const body: CardElement[] = [
    { type: 'TextBlock', text: clip(notification.title, 300), wrap: true, size: 'Large', weight: 'Bolder', color: titleColor },
    ...(notification.text === '' ? [] : [{ type: 'TextBlock' as const, text: clip(notification.text, 4000), wrap: true as const }]),
    {
      type: 'FactSet',
      facts: [
        { title: 'Event', value: notification.event },
        { title: 'Severity', value: notification.severity },
        { title: 'Alerts', value: String(notification.alerts.length) },
        { title: 'At', value: new Date(notification.createdAt).toISOString() }
      ]
    },
    ...shown.map((alert) => alertContainer(alert, notification.createdAt))
  ]
  if (more > 0) body.push({ type: 'TextBlock', text: `…and ${more} more alert${more === 1 ? '' : 's'}`, wrap: true, isSubtle: true })

  const actions = shown
    .filter((a): a is NotificationAlert & { url: string } => a.url !== undefined)
    .slice(0, MAX_ACTIONS)
    .map((a) => ({ type: 'Action.OpenUrl' as const, title: shown.length === 1 ? 'View alert' : clip(`Open ${a.monitorName}`, 40), url: a.url }))

  const card: AdaptiveCard = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body,
    ...(actions.length === 0 ? {} : { actions }),
    msteams: { width: 'Full' }
  }
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] }
}

function alertContainer(alert: NotificationAlert, now: number): Container {
  const state =
    alert.status === 'acknowledged' && alert.acknowledgedBy !== undefined
      ? `acknowledged by ${alert.acknowledgedBy}`
      : alert.resolvedAt === undefined
        ? `${alert.status} for ${formatDuration(now - alert.startedAt)}`
        : `${alert.status} after ${formatDuration(alert.resolvedAt - alert.startedAt)}`
  const items: Array<TextBlock | FactSet> = [
    {
      type: 'TextBlock',
      text: clip(`${alert.monitorName} · ${alert.severity} · ${state}`, 300),
      wrap: true,
      weight: 'Bolder',
      color: alert.status === 'resolved' ? 'Good' : SEVERITY_COLOR[alert.severity]
    },
    { type: 'TextBlock', text: clip(alert.summary, 1000), wrap: true, spacing: 'Small' }
  ]
  const { shown, more } = capped(alert.failedAssertions ?? [], MAX_LISTED_ASSERTIONS)
  if (shown.length > 0) {
    const facts: FactSet['facts'] = shown.map((a) => ({ title: a.severity, value: describeAssertion(a) }))
    if (more > 0) facts.push({ title: '…', value: `and ${more} more failed assertion${more === 1 ? '' : 's'}` })
    items.push({ type: 'FactSet', facts })
  }
  return { type: 'Container', separator: true, spacing: 'Medium', items }
}

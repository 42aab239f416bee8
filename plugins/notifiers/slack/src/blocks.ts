import { MAX_LISTED_ALERTS, MAX_LISTED_ASSERTIONS, capped, clip, describeAssertion, formatDuration } from '@vedette/sdk'
import type { AlertSeverity, Notification, NotificationAlert, NotificationEvent } from '@vedette/sdk'

// Block Kit, as incoming webhooks take it: https://api.slack.com/reference/block-kit/blocks
// Limits that Slack enforces with `invalid_blocks`: header text 150 characters,
// section text 3000, at most 10 fields of 2000 each, 10 context elements,
// 50 blocks per message. Everything below stays inside them.

export interface SlackText {
  type: 'plain_text' | 'mrkdwn'
  text: string
  emoji?: boolean
}

export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' }

/** The JSON body posted to the incoming webhook. */
export interface SlackMessage {
  /** Fallback: what push notifications and screen readers show. */
  text: string
  blocks: SlackBlock[]
  /** The alert links point at the Vedette API: no previews. */
  unfurl_links: false
  unfurl_media: false
  channel?: string
  username?: string
  icon_emoji?: string
}

export interface SlackOverrides {
  channel?: string | undefined
  username?: string | undefined
  iconEmoji?: string | undefined
}

// Incoming webhooks cannot colour a Block Kit message (only legacy
// attachments can), so severity is an emoji at the start of the header.
const SEVERITY_EMOJI: Record<AlertSeverity, string> = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:'
}
const EVENT_EMOJI: Partial<Record<NotificationEvent, string>> = {
  resolved: ':large_green_circle:',
  acknowledged: ':eyes:',
  test: ':test_tube:'
}

/** The Block Kit message for a notification: one message, alerts listed up to MAX_LISTED_ALERTS. */
export function buildSlackMessage(notification: Notification, overrides: SlackOverrides = {}): SlackMessage {
  const emoji = EVENT_EMOJI[notification.event] ?? SEVERITY_EMOJI[notification.severity]
  const { shown, more } = capped(notification.alerts, MAX_LISTED_ALERTS)
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`${emoji} ${notification.title}`, 150), emoji: true } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: clip(escapeMrkdwn(notification.text || notification.title), 3000) },
      fields: [
        field('Event', notification.event),
        field('Severity', notification.severity),
        field('Alerts', String(notification.alerts.length))
      ]
    }
  ]
  if (shown.length > 0) blocks.push({ type: 'divider' })
  for (const alert of shown) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: alertText(alert, notification.createdAt) } })
  if (more > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${more} more alert${more === 1 ? '' : 's'}` }] })
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Vedette · ${notification.event} · ${slackDate(notification.createdAt)}` }] })

  return {
    text: clip(notification.title, 3000),
    blocks,
    unfurl_links: false,
    unfurl_media: false,
    ...(overrides.channel === undefined ? {} : { channel: overrides.channel }),
    ...(overrides.username === undefined ? {} : { username: overrides.username }),
    ...(overrides.iconEmoji === undefined ? {} : { icon_emoji: overrides.iconEmoji })
  }
}

/**
 * Slack's three control characters. Escaping `<` also turns `<!channel>` or
 * `<@U123>` in a monitor name or error message into plain text: a failing
 * check must not be able to page a whole channel.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function field(label: string, value: string): SlackText {
  return { type: 'mrkdwn', text: `*${label}*\n${escapeMrkdwn(value)}` }
}

function alertText(alert: NotificationAlert, now: number): string {
  const name = escapeMrkdwn(alert.monitorName)
  // `|` ends a link label; it has no escape, so it is swapped for a lookalike.
  const title = alert.url === undefined ? `*${name}*` : `*<${alert.url}|${name.replace(/\|/g, '¦')}>*`
  const open = alert.resolvedAt === undefined ? `for ${formatDuration(now - alert.startedAt)}` : `after ${formatDuration(alert.resolvedAt - alert.startedAt)}`
  const state = alert.status === 'acknowledged' && alert.acknowledgedBy !== undefined
    ? `acknowledged by ${escapeMrkdwn(alert.acknowledgedBy)}`
    : `${alert.status} ${open}`
  const lines = [`${SEVERITY_EMOJI[alert.severity]} ${title} · ${alert.severity} · ${state}`, escapeMrkdwn(alert.summary)]
  const { shown, more } = capped(alert.failedAssertions ?? [], MAX_LISTED_ASSERTIONS)
  for (const a of shown) lines.push(`• \`${escapeMrkdwn(describeAssertion(a)).replace(/`/g, "'")}\``)
  if (more > 0) lines.push(`• …and ${more} more failed assertion${more === 1 ? '' : 's'}`)
  return clip(lines.join('\n'), 3000)
}

/** A date each reader sees in their own time zone, with an ISO fallback. */
function slackDate(epochMs: number): string {
  const seconds = Math.floor(epochMs / 1000)
  return `<!date^${seconds}^{date_short_pretty} {time}|${new Date(seconds * 1000).toISOString()}>`
}

import { MAX_LISTED_ALERTS, alertName, clip } from '@vedette/sdk'
import type { AlertSeverity, Notification, NotificationAlert, NotificationAssertion } from '@vedette/sdk'
import { escapeMarkdown } from './markdown.js'

/** Discord's documented limits for one webhook message (characters are UTF-16 units here, which over-counts safely). */
export const DISCORD_LIMITS = {
  embeds: 10,
  fields: 25,
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Sum of every title, description, field name and value and footer in the message. */
  total: 6000
} as const

export const SEVERITY_COLORS: Record<AlertSeverity, number> = { critical: 0xe74c3c, warning: 0xf39c12, info: 0x3498db }
export const RESOLVED_COLOR = 0x2ecc71

export interface DiscordEmbedField {
  name: string
  value: string
  inline?: boolean
}

export interface DiscordEmbed {
  title: string
  /** Left out when empty: Discord refuses empty strings. */
  description?: string
  color: number
  fields: DiscordEmbedField[]
  timestamp: string
  url?: string
  footer: { text: string }
}

/** The execute-webhook JSON body. */
export interface DiscordPayload {
  content?: string
  username?: string
  avatar_url?: string
  embeds: DiscordEmbed[]
  allowed_mentions: { parse: string[]; roles?: string[]; users?: string[] }
}

export interface DiscordPayloadOptions {
  username?: string
  avatarUrl?: string
  mentionRoleIds: readonly string[]
  mentionUserIds: readonly string[]
}

// Room kept for the description before fields are listed: the rendered text
// is what the operator templated, so alert fields never crowd it out entirely.
const DESCRIPTION_RESERVE = 1500
const MORE_FIELD_RESERVE = 80

/**
 * One message with one embed: the rendered title and text, colored by
 * severity (green once resolved), with the alert's facts (one alert) or one
 * field per alert (a grouped notification), kept inside Discord's limits.
 */
export function buildDiscordPayload(notification: Notification, options: DiscordPayloadOptions): DiscordPayload {
  const { alerts, event } = notification
  const title = clip(notification.title.trim() === '' ? 'Vedette notification' : notification.title, DISCORD_LIMITS.title)
  const footer = { text: `Vedette · ${event}` }
  let budget = DISCORD_LIMITS.total - title.length - footer.text.length
  const reserve = Math.min(notification.text.length, DESCRIPTION_RESERVE)

  const candidates = alerts.length === 1 ? factFields(alerts[0] as NotificationAlert) : alerts.slice(0, MAX_LISTED_ALERTS).map(alertField)
  const fields: DiscordEmbedField[] = []
  for (const field of candidates) {
    const size = field.name.length + field.value.length
    if (size > budget - reserve - MORE_FIELD_RESERVE) break
    fields.push(field)
    budget -= size
  }
  const unlisted = alerts.length === 1 ? 0 : alerts.length - fields.length
  if (unlisted > 0) {
    const more = { name: `And ${unlisted} more alert${unlisted === 1 ? '' : 's'}`, value: 'Not listed here: see the alerts in Vedette.' }
    fields.push(more)
    budget -= more.name.length + more.value.length
  }

  const single = alerts.length === 1 ? alerts[0] : undefined
  const description = clip(notification.text, Math.min(DISCORD_LIMITS.description, budget))
  const embed: DiscordEmbed = {
    title,
    ...(description.trim() === '' ? {} : { description }),
    color: event === 'resolved' ? RESOLVED_COLOR : SEVERITY_COLORS[notification.severity],
    fields,
    timestamp: new Date(notification.createdAt).toISOString(),
    ...(single?.url === undefined ? {} : { url: single.url }),
    footer
  }

  const payload: DiscordPayload = { embeds: [embed], allowed_mentions: { parse: [] } }
  if (options.username !== undefined) payload.username = options.username
  if (options.avatarUrl !== undefined) payload.avatar_url = options.avatarUrl
  // Pings only for news that needs someone; never for acks, recoveries or tests.
  const pings = event === 'firing' || event === 'reminder' || event === 'escalation'
  if (pings && options.mentionRoleIds.length + options.mentionUserIds.length > 0) {
    payload.content = [...options.mentionRoleIds.map((id) => `<@&${id}>`), ...options.mentionUserIds.map((id) => `<@${id}>`)].join(' ')
    // Only the configured ids may ping; `parse: []` keeps @everyone in alert text inert.
    payload.allowed_mentions = { parse: [], roles: [...options.mentionRoleIds], users: [...options.mentionUserIds] }
  }
  return payload
}

function factFields(alert: NotificationAlert): DiscordEmbedField[] {
  const fields: DiscordEmbedField[] = [
    { name: 'Monitor', value: clip(escapeMarkdown(alertName(alert)), DISCORD_LIMITS.fieldValue), inline: true },
    { name: 'Severity', value: alert.severity, inline: true },
    { name: 'Monitor status', value: clip(alert.monitorStatus, 100), inline: true }
  ]
  if (alert.acknowledgedBy !== undefined) fields.push({ name: 'Acknowledged by', value: clip(escapeMarkdown(alert.acknowledgedBy), 256), inline: true })
  if (alert.failedAssertions.length > 0) {
    fields.push({ name: 'Failed assertions', value: assertionLines(alert.failedAssertions, DISCORD_LIMITS.fieldValue) })
  }
  return fields
}

function alertField(alert: NotificationAlert): DiscordEmbedField {
  const lines = [`**${alert.severity}** · ${alert.status} · monitor ${escapeMarkdown(alert.monitorStatus)}`, escapeMarkdown(clip(alert.summary, 300))]
  if (alert.url !== undefined) lines.push(`[Open alert](${alert.url})`)
  return { name: clip(escapeMarkdown(alertName(alert)), 200), value: clip(lines.join('\n'), 600) }
}

function assertionLines(assertions: readonly NotificationAssertion[], max: number): string {
  const lines = assertions.map((a) => {
    const got = a.actual === undefined ? '' : ` (got ${clip(JSON.stringify(a.actual) ?? String(a.actual), 80)})`
    return `• \`${a.assertion.replaceAll('`', "'")}\`${escapeMarkdown(got)}`
  })
  return clip(lines.join('\n'), max)
}

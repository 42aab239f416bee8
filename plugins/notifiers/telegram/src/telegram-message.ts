import { MAX_LISTED_ALERTS, alertName } from '@vedette/sdk'
import type { Notification, NotificationAlert } from '@vedette/sdk'
import type { ResolvedTelegramConfig } from './config.js'
import { escapeAndCut, escapeHtml } from './html.js'

/** Telegram's limit on one message's text. */
export const TELEGRAM_TEXT_MAX = 4096

/** The sendMessage body (https://core.telegram.org/bots/api#sendmessage). */
export interface TelegramSendMessage {
  chat_id: string | number
  text: string
  parse_mode: 'HTML'
  link_preview_options: { is_disabled: true }
  message_thread_id?: number
  disable_notification?: true
}

// Room kept for the rendered text before alerts are listed: it is what the
// operator templated, so a long alert list never crowds it out entirely.
const TEXT_RESERVE = 1500
const TITLE_MAX = 256

/**
 * One HTML message: the rendered title in bold, the rendered text, then the
 * alerts (at most 20, then "and N more"), escaped and kept within 4096
 * characters.
 */
export function buildTelegramMessage(notification: Notification, config: ResolvedTelegramConfig): TelegramSendMessage {
  const { alerts } = notification
  const title = `<b>${escapeAndCut(notification.title.trim() === '' ? 'Vedette notification' : notification.title, TITLE_MAX)}</b>`
  const escapedText = escapeHtml(notification.text)
  // Separators: a blank line between title, text and the list (2 + 2), and one newline per alert block.
  let budget = TELEGRAM_TEXT_MAX - title.length - 4
  const reserve = Math.min(escapedText.length, TEXT_RESERVE)
  const blocks: string[] = []
  for (const alert of alerts.slice(0, MAX_LISTED_ALERTS)) {
    const block = alertBlock(alert, alerts.length === 1)
    if (block.length + 1 > budget - reserve - 40) break
    blocks.push(block)
    budget -= block.length + 1
  }
  const unlisted = alerts.length - blocks.length
  if (unlisted > 0) {
    const more = `<i>…and ${unlisted} more alert${unlisted === 1 ? '' : 's'}</i>`
    blocks.push(more)
    budget -= more.length + 1
  }
  const text = escapeAndCut(notification.text, Math.max(0, budget))
  const parts = [title, text.trim() === '' ? undefined : text, blocks.length === 0 ? undefined : blocks.join('\n')].filter((p) => p !== undefined)

  const message: TelegramSendMessage = {
    chat_id: config.chatId,
    text: parts.join('\n\n'),
    parse_mode: 'HTML',
    // An alert link would otherwise unfurl into a preview card bigger than the message.
    link_preview_options: { is_disabled: true }
  }
  if (config.messageThreadId !== undefined) message.message_thread_id = config.messageThreadId
  if (silent(notification, config.disableNotification)) message.disable_notification = true
  return message
}

function silent(notification: Notification, setting: boolean | 'low-priority'): boolean {
  if (setting !== 'low-priority') return setting
  const { event, severity } = notification
  return severity === 'info' || event === 'acknowledged' || event === 'resolved' || event === 'test'
}

function alertBlock(alert: NotificationAlert, detailed: boolean): string {
  const lines = [`• <b>${escapeAndCut(alertName(alert), 200)}</b> — ${alert.severity}, ${alert.status}, monitor ${escapeAndCut(alert.monitorStatus, 40)}`]
  if (alert.summary !== '') lines.push(`  ${escapeAndCut(alert.summary, 300)}`)
  if (detailed) {
    for (const a of alert.failedAssertions.slice(0, 10)) {
      const got = a.actual === undefined ? '' : ` got ${escapeAndCut(JSON.stringify(a.actual) ?? String(a.actual), 80)}`
      lines.push(`  ✗ <code>${escapeAndCut(a.assertion, 200)}</code>${got}`)
    }
  }
  if (alert.url !== undefined && /^https?:\/\//i.test(alert.url)) lines.push(`  <a href="${escapeHtml(alert.url)}">Open alert</a>`)
  return lines.join('\n')
}

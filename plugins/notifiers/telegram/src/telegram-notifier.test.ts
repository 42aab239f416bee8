import type { DeliveryReport, Notification } from '@vedette/sdk'
import { alertFixture, groupedFixture, httpNotifierConformance, jsonReply, notificationFixture, notificationReceiver, notifierChannel, resolvedFixture } from '@vedette/sdk/testing'
import type { Reply } from '@vedette/sdk/testing'
import t from 'tap'
import type { Test } from 'tap'
import telegramNotifier, { TELEGRAM_TEXT_MAX } from './index.js'
import type { TelegramNotifierConfig, TelegramSendMessage } from './index.js'

const TOKEN = '123456789:AAH-secret_bot_token_0123456789abcdef'
const CHAT = -1001234567890

const sent: Reply = jsonReply(200, { ok: true, result: { message_id: 42, chat: { id: CHAT, type: 'supergroup' }, date: 1736933460, text: '…' } })

/**
 * What Telegram's HTML parse mode accepts (https://core.telegram.org/bots/api#html-style):
 * only its tags, and `<`, `>`, `&` only as entities. Returns the problems found.
 */
function htmlProblems(text: string): string[] {
  const problems: string[] = []
  const stack: string[] = []
  const tag = /<(\/?)([a-z-]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*>/gy
  for (let i = 0; i < text.length; ) {
    const ch = text[i]
    if (ch === '<') {
      tag.lastIndex = i
      const m = tag.exec(text)
      if (m === null || !['b', 'i', 'u', 's', 'code', 'pre', 'a', 'tg-spoiler', 'blockquote'].includes(m[2]!)) {
        problems.push(`bad tag at ${i}: ${text.slice(i, i + 20)}`)
        i++
        continue
      }
      if (m[1] === '/') {
        if (stack.pop() !== m[2]) problems.push(`unbalanced </${m[2]}> at ${i}`)
      } else stack.push(m[2]!)
      i = tag.lastIndex
    } else if (ch === '&') {
      const m = /^&(lt|gt|amp|quot);/.exec(text.slice(i, i + 6))
      if (m === null) problems.push(`bare & at ${i}`)
      i += m === null ? 1 : m[0].length
    } else {
      if (ch === '>') problems.push(`bare > at ${i}`)
      i++
    }
  }
  if (stack.length > 0) problems.push(`unclosed ${stack.join(', ')}`)
  return problems
}

const channel = (t: Test, config: Partial<TelegramNotifierConfig> & { apiUrl: string }) => notifierChannel(t, telegramNotifier, { botToken: TOKEN, chatId: CHAT, ...config })

async function deliver(t: Test, notification: Notification, reply: Reply, config: Partial<TelegramNotifierConfig> = {}) {
  const rx = await notificationReceiver(t, reply)
  const instance = await channel(t, { apiUrl: rx.base, ...config })
  const report = await instance.send(notification, new AbortController().signal)
  return { report, rx, message: rx.requests[0]?.json as TelegramSendMessage }
}

function assertNoToken(t: Test, report: DeliveryReport): void {
  t.notOk(JSON.stringify(report).includes(TOKEN), 'the bot token is not in the report')
  t.notOk(JSON.stringify(report).includes('AAH-secret'), 'no part of the token either')
}

t.test('a firing alert is one sendMessage in HTML parse mode', async (t) => {
  const { report, rx, message } = await deliver(t, notificationFixture(), sent)
  t.same(report, { ok: true, status: 200, message: `HTTP 200 from ${rx.base}: sent message 42 to chat ${CHAT}` })
  const req = rx.requests[0]!
  t.equal(req.method, 'POST')
  t.equal(req.path, `/bot${TOKEN}/sendMessage`)
  t.match(req.headers['content-type'], /^application\/json/)
  t.same(message, {
    chat_id: CHAT,
    text: [
      '<b>[critical] API health 1 is down</b>',
      '',
      'API health 1 is down: 2 consecutive failures: connect ECONNREFUSED.',
      '',
      '• <b>API health 1</b> — critical, firing, monitor down',
      '  2 consecutive failures: connect ECONNREFUSED (monitor 1)',
      '  ✗ <code>status in 200..299</code> got 503',
      '  <a href="https://vedette.example/api/v1/alerts/alert-1">Open alert</a>'
    ].join('\n'),
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true }
  })
  t.same(htmlProblems(message.text), [])
})

t.test('text from alerts is escaped: &, < and > never reach Telegram raw', async (t) => {
  const alert = alertFixture(1, { monitorName: '<script>alert(1)</script>', summary: 'body did not match a<b & c>d', url: 'https://v.example/a?x=1&y="2"' })
  const n = notificationFixture({ title: 'latency > 300ms & rising', text: 'if a < b then <b>boom</b>', alerts: [alert] })
  const { message } = await deliver(t, n, sent)
  t.same(htmlProblems(message.text), [])
  t.match(message.text, /^<b>latency &gt; 300ms &amp; rising<\/b>\n\nif a &lt; b then &lt;b&gt;boom&lt;\/b&gt;/)
  t.match(message.text, /<b>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/b>/)
  t.match(message.text, /<a href="https:\/\/v\.example\/a\?x=1&amp;y=&quot;2&quot;">Open alert<\/a>/)
})

t.test('a resolved alert is sent silently with disableNotification: low-priority', async (t) => {
  const { report, message } = await deliver(t, resolvedFixture(), sent, { disableNotification: 'low-priority' })
  t.equal(report.ok, true)
  t.equal(message.disable_notification, true)
  t.match(message.text, /^<b>API health 1 recovered<\/b>/)
  t.match(message.text, /— critical, resolved, monitor up/)
  const firing = await deliver(t, notificationFixture(), sent, { disableNotification: 'low-priority' })
  t.notOk('disable_notification' in firing.message, 'a critical firing alert rings')
  const always = await deliver(t, notificationFixture(), sent, { disableNotification: true })
  t.equal(always.message.disable_notification, true)
})

t.test('a grouped notification is one message listing the alerts', async (t) => {
  const { rx, message } = await deliver(t, groupedFixture(3), sent, { messageThreadId: 7 })
  t.equal(rx.requests.length, 1)
  t.equal(message.message_thread_id, 7)
  t.equal(message.text.match(/^• /gm)?.length, 3)
  for (const i of [1, 2, 3]) t.match(message.text, `<b>API health ${i}</b>`)
  t.notMatch(message.text, /<code>/, 'a group lists alerts without their assertions')
  t.same(htmlProblems(message.text), [])
})

t.test('a large group and a long text stay within 4096 characters', async (t) => {
  const alerts = Array.from({ length: 30 }, (_, i) => alertFixture(i + 1, { summary: `a & b < c ${'x'.repeat(400)}` }))
  const { message } = await deliver(t, notificationFixture({ alerts, text: '&<>'.repeat(4000) }), sent)
  t.ok(message.text.length <= TELEGRAM_TEXT_MAX, `${message.text.length} characters`)
  t.match(message.text, /<i>…and \d+ more alerts<\/i>$/)
  t.same(htmlProblems(message.text), [], 'cutting never splits an entity or a tag')
})

t.test('a 500 is a retryable failure', async (t) => {
  const { report, rx } = await deliver(t, notificationFixture(), jsonReply(500, { ok: false, error_code: 500, description: 'Internal Server Error' }))
  t.match(report, { ok: false, status: 500, retryable: true, message: `HTTP 500 from ${rx.base}: Internal Server Error` })
  assertNoToken(t, report)
})

t.test('a 400 (chat not found) is not retryable', async (t) => {
  const { report, rx } = await deliver(t, notificationFixture(), jsonReply(400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' }))
  t.match(report, { ok: false, status: 400, retryable: false, message: `HTTP 400 from ${rx.base}: Bad Request: chat not found` })
})

t.test('a migrated group says which chatId to use', async (t) => {
  const reply = jsonReply(400, { ok: false, error_code: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', parameters: { migrate_to_chat_id: -1009876543210 } })
  const { report } = await deliver(t, notificationFixture(), reply)
  t.match(report, { ok: false, retryable: false, message: /set chatId to -1009876543210/ })
})

t.test('a 429 is retryable and reports retry_after', async (t) => {
  const reply = jsonReply(429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 5', parameters: { retry_after: 5 } })
  const { report } = await deliver(t, notificationFixture(), reply)
  t.match(report, { ok: false, status: 429, retryable: true, message: /retry after 5s/ })
})

t.test('a 401 is not retryable and the token never shows, even when echoed', async (t) => {
  const { report } = await deliver(t, notificationFixture(), jsonReply(401, { ok: false, error_code: 401, description: `Unauthorized: /bot${TOKEN}/sendMessage` }))
  t.match(report, { ok: false, status: 401, retryable: false, message: /Unauthorized: \/bot\[redacted\]\/sendMessage; check botToken/ })
  assertNoToken(t, report)
})

t.test('a 2xx that is not a Bot API success is not retryable', async (t) => {
  const { report } = await deliver(t, notificationFixture(), (_req, res) => res.end('<html>portal</html>'))
  t.match(report, { ok: false, status: 200, retryable: false, message: /without ok: true/ })
})

t.test('delivery: retries, no answer, refused connections, no token in reports', (t) =>
  httpNotifierConformance(t, { channel: (t, base, timeout) => channel(t, { apiUrl: base, timeout }), accept: sent, secrets: [TOKEN, 'AAH-secret'] })
)

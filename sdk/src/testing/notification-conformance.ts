import type { Test } from 'tap'
import type { DeliveryReport, Notification, NotifierInstance } from '../notifier.js'
import { closedPort } from './closed-port.js'
import { notificationFixture } from './notification-fixtures.js'
import { neverReply, notificationReceiver, okReply } from './notification-receiver.js'
import type { Reply } from './notification-receiver.js'

export interface HttpNotifierConformanceOptions {
  /**
   * A channel of the notifier under test that sends to `base`
   * (`http://127.0.0.1:<port>`: the suite's receiver, or a closed port), with
   * `timeout` when given. Use `notifierChannel`, so the channel stops with `t`.
   */
  channel(t: Test, base: string, timeout?: string): Promise<NotifierInstance>
  /** How the provider answers a delivery it accepts. Default `okReply` (200 ok). */
  accept?: Reply
  /** What must never appear in a report: tokens, keys, a webhook URL's secret path. */
  secrets: readonly string[]
  /** What to send; one alert, so per-alert providers make one request. Default `notificationFixture()`. */
  notification?: Notification
}

// Statuses and whether the outbox should try again: the one classification every notifier shares.
const STATUSES: ReadonlyArray<readonly [number, boolean]> = [
  [500, true],
  [503, true],
  [429, true],
  [408, true],
  [400, false],
  [401, false],
  [404, false],
  [301, false]
]

/**
 * The delivery behaviour every notifier that speaks HTTP shares, as one
 * suite each package runs against its own channel: an accepted delivery is
 * ok; 408, 429 and 5xx are retried and other statuses are not; the engine's
 * signal and the channel's `timeout` end a hung request with the same
 * reports everywhere; a refused connection is retried; an aborted attempt
 * sends nothing; and no report ever shows a secret, even when the provider
 * echoes the request back.
 *
 * @example
 * t.test('delivery', (t) =>
 *   httpNotifierConformance(t, {
 *     channel: (t, base, timeout) => notifierChannel(t, slackNotifier, { url: base + HOOK_PATH, timeout }),
 *     secrets: ['xoxHookSecret42abc']
 *   })
 * )
 */
export async function httpNotifierConformance(t: Test, options: HttpNotifierConformanceOptions): Promise<void> {
  const notification = options.notification ?? notificationFixture()
  const send = (instance: NotifierInstance, signal = new AbortController().signal) => instance.send(notification, signal)
  const assertNoSecret = (t: Test, report: DeliveryReport): void => {
    const text = JSON.stringify(report)
    for (const secret of options.secrets) t.notOk(text.includes(secret), `the report does not show ${secret.slice(0, 4)}…`)
  }

  await t.test('an accepted delivery is ok', async (t) => {
    const rx = await notificationReceiver(t, options.accept ?? okReply)
    const report = await send(await options.channel(t, rx.base))
    t.match(report, { ok: true, status: Number })
    t.ok(rx.requests.length > 0, 'the provider got the request')
    assertNoSecret(t, report)
  })

  await t.test('408, 429 and 5xx are retried; other 4xx and 3xx are not; echoed secrets are redacted', async (t) => {
    for (const [status, retryable] of STATUSES) {
      // A provider quoting the whole request back: path, headers and body.
      const rx = await notificationReceiver(t, (req, res) => {
        const echo = `${req.path} ${JSON.stringify(req.headers)} ${req.body}`
        res.writeHead(status, { 'content-type': 'application/json', ...(status === 301 ? { location: '/elsewhere' } : {}) })
        res.end(JSON.stringify({ message: echo, description: echo }))
      })
      const report = await send(await options.channel(t, rx.base))
      t.match(report, { ok: false, status, retryable }, `${status}: retryable ${retryable}`)
      assertNoSecret(t, report)
    }
  })

  await t.test('a receiver that never answers: the engine signal ends the attempt at once', async (t) => {
    const rx = await notificationReceiver(t, neverReply)
    const controller = new AbortController()
    const pending = send(await options.channel(t, rx.base, '1m'), controller.signal)
    await rx.received()
    controller.abort()
    t.same(await pending, { ok: false, status: 'aborted', message: `delivery to ${rx.base} aborted before a response arrived`, retryable: true })
  })

  await t.test('a receiver that never answers: the timeout ends the attempt', async (t) => {
    const rx = await notificationReceiver(t, neverReply)
    const report = await send(await options.channel(t, rx.base, '200ms'))
    t.same(report, { ok: false, status: 'timeout', message: `no answer from ${rx.base} within 200ms`, retryable: true })
  })

  await t.test('connection refused is retried and names the endpoint by scheme, host and port only', async (t) => {
    const port = await closedPort()
    const report = await send(await options.channel(t, `http://127.0.0.1:${port}`))
    t.match(report, { ok: false, status: 'ECONNREFUSED', retryable: true, message: new RegExp(`^request to http://127\\.0\\.0\\.1:${port} failed: `) })
    assertNoSecret(t, report)
  })

  await t.test('an attempt the engine already gave up on sends nothing', async (t) => {
    const rx = await notificationReceiver(t, options.accept ?? okReply)
    const report = await send(await options.channel(t, rx.base), AbortSignal.abort())
    t.same(report, { ok: false, status: 'aborted', message: `delivery to ${rx.base} aborted before a response arrived`, retryable: true })
    t.equal(rx.requests.length, 0)
  })
}

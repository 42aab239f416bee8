import type { DeliveryReport } from '../notifier.js'

/** Requests in flight at once for one grouped notification: fast enough for a big group, gentle on rate limits. */
export const DELIVER_EACH_CONCURRENCY = 4

/**
 * For providers that take one request per alert (PagerDuty events, Opsgenie
 * alerts): runs `send` for each item, a few at a time, and folds the reports
 * into one, ok only if every item is ok. After the first failure no new item
 * starts: the engine retries the whole notification, and the provider
 * deduplicates the items that did arrive by their key.
 *
 * The folded report takes the worst failure: one that retrying cannot fix
 * (retryable: false) beats one that it can. `label` names an item in the
 * message (its dedup key, say).
 *
 * @example
 * return deliverEach(events, (event) => sendJson({ ...options, payload: event }), (event) => event.dedup_key)
 * // '2 of 3 events accepted; rule-down:monitor-2: HTTP 400 from https://events.pagerduty.com: Event object is invalid'
 */
export async function deliverEach<T>(
  items: readonly T[],
  send: (item: T) => Promise<DeliveryReport>,
  label: (item: T) => string
): Promise<DeliveryReport> {
  const reports: Array<DeliveryReport | undefined> = new Array(items.length)
  let next = 0
  let failed = false
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++
      const report = await send(items[index] as T)
      reports[index] = report
      if (!report.ok) failed = true
    }
  }
  await Promise.all(Array.from({ length: Math.min(DELIVER_EACH_CONCURRENCY, items.length) }, worker))

  const done = reports.filter((r): r is DeliveryReport => r !== undefined)
  const failures = reports.flatMap((r, i) => (r !== undefined && !r.ok ? [{ report: r, item: items[i] as T }] : []))
  if (failures.length === 0) {
    const first = done[0]
    if (first === undefined) return { ok: true, message: 'nothing to send' }
    return items.length === 1 ? first : { ok: true, status: first.status, message: `${items.length} events accepted; ${first.message ?? ''}`.trim() }
  }
  const worst = failures.find((f) => f.report.retryable === false) ?? (failures[0] as { report: DeliveryReport; item: T })
  const delivered = done.length - failures.length
  const skipped = items.length - done.length
  const message =
    items.length === 1
      ? worst.report.message
      : `${delivered} of ${items.length} events accepted${skipped > 0 ? `, ${skipped} not sent` : ''}; ${label(worst.item)}: ${worst.report.message ?? 'failed'}`
  return {
    ok: false,
    ...(worst.report.status === undefined ? {} : { status: worst.report.status }),
    ...(message === undefined ? {} : { message }),
    retryable: failures.every((f) => f.report.retryable !== false)
  }
}

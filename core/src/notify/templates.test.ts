import t from 'tap'
import type { NotificationAlert } from '@vedette/sdk'
import { MAX_LISTED, renderNotification, templateProblem } from './templates.js'

const AT = Date.parse('2025-06-02T12:00:00Z')

function alert(i: number, over: Partial<NotificationAlert> = {}): NotificationAlert {
  return {
    id: `alrt_${i}`,
    dedupKey: `api-down/api-${i}`,
    ruleId: 'api-down',
    monitorId: `api-${i}`,
    monitorName: `API ${i}`,
    severity: 'warning',
    status: 'firing',
    summary: `2 consecutive failed runs (threshold 2): HTTP 503`,
    monitorStatus: 'down',
    startedAt: AT - 60_000,
    failedAssertions: [],
    ...over
  }
}

t.test('a single alert with the default templates', async (t) => {
  const n = renderNotification('firing', [alert(1, { severity: 'critical', url: 'https://vedette.example/api/v1/alerts/alrt_1' })], 'alrt_1:2:ops', [], AT)
  t.equal(n.title, '[CRITICAL] API 1 firing')
  t.equal(n.text, ['• [CRITICAL] API 1 (api-1): firing — 2 consecutive failed runs (threshold 2): HTTP 503', '    https://vedette.example/api/v1/alerts/alrt_1'].join('\n'))
  t.match(n.html, '<p><strong>API 1 firing</strong></p><ul><li><strong>[CRITICAL] API 1</strong>: firing — 2 consecutive failed runs')
  // Mustache escapes `/` too; in an attribute &#x2F; is still a slash to every HTML reader.
  t.match(n.html, '<a href="https:&#x2F;&#x2F;vedette.example&#x2F;api&#x2F;v1&#x2F;alerts&#x2F;alrt_1">open</a>')
  t.equal(n.idempotencyKey, 'alrt_1:2:ops')
  t.equal(n.severity, 'critical')
  t.equal(n.createdAt, AT)
  t.same(n.data, {})
  t.equal(n.alerts.length, 1)
})

t.test('the event is worded in the title', async (t) => {
  const one = (event: Parameters<typeof renderNotification>[0], over: Partial<NotificationAlert> = {}) => renderNotification(event, [alert(1, over)], 'k', [], AT).title
  t.equal(one('reminder'), '[WARNING] API 1 still firing (reminder)')
  t.equal(one('escalation'), '[WARNING] API 1 firing, not acknowledged (escalated)')
  t.equal(one('acknowledged', { status: 'acknowledged', acknowledgedBy: 'ana' }), '[WARNING] API 1 acknowledged by ana')
  t.equal(one('resolved', { status: 'resolved' }), '[WARNING] API 1 resolved')
  const test = renderNotification('test', [], 'test_1', [], AT)
  t.equal(test.title, '[INFO] Vedette test notification', 'a test notification has no alert')
  t.equal(test.text, '')
  t.match(renderNotification('acknowledged', [alert(1, { status: 'acknowledged', acknowledgedBy: 'ana' })], 'k', [], AT).text, /\n {4}acknowledged by ana$/)
})

t.test('failed assertions are listed under their alert', async (t) => {
  const n = renderNotification(
    'firing',
    [
      alert(1, {
        failedAssertions: [
          { assertion: 'status in 200..299', actual: 503, expected: '200..299', severity: 'critical' },
          { assertion: 'json $.ok == true', actual: { ok: false }, severity: 'warning' }
        ]
      })
    ],
    'k',
    [],
    AT
  )
  t.same(n.text.split('\n').slice(1), ['    ✗ status in 200..299: got 503, expected 200..299', '    ✗ json $.ok == true: got {"ok":false}, expected —'])
  t.match(n.html, '<ul><li><code>status in 200..299</code>: got 503, expected 200..299</li><li><code>json $.ok &#x3D;&#x3D; true</code>: got {&quot;ok&quot;:false}, expected —</li></ul>')
  t.notMatch(renderNotification('firing', [alert(2)], 'k', [], AT).html, '<code>', 'no assertion list when none failed')
})

t.test(`a grouped notification lists ${MAX_LISTED} alerts and counts the rest`, async (t) => {
  const alerts = Array.from({ length: 25 }, (_, i) => alert(i + 1, i === 7 ? { severity: 'critical' } : {}))
  const n = renderNotification('firing', alerts, 'grp_x', [], AT)
  t.equal(n.title, '25 alerts firing')
  t.equal(n.severity, 'critical', 'the worst severity of the group')
  const lines = n.text.split('\n')
  t.equal(lines.filter((l) => l.startsWith('• ')).length, 20)
  t.match(lines[0], '• [WARNING] API 1 (api-1)')
  t.match(lines[19], '• [WARNING] API 20 (api-20)')
  t.equal(lines.at(-1), '… and 5 more')
  t.notMatch(n.text, 'API 21 ', 'alerts past the 20th are not listed')
  t.match(n.html, /^<p><strong>25 alerts firing<\/strong><\/p>/)
  t.equal(n.html?.match(/<li><strong>/g)?.length, 20)
  t.match(n.html, /<p>… and 5 more<\/p>$/)
  t.equal(n.alerts.length, 25, 'every alert is still in the notification for notifiers that list them all')

  const exactly = renderNotification('resolved', alerts.slice(0, MAX_LISTED), 'grp_y', [], AT)
  t.equal(exactly.title, '20 alerts resolved')
  t.notMatch(exactly.text, 'more', 'nothing to count at exactly 20')
})

t.test('templates override per part: rule, then channel, then plugin kind, then the defaults', async (t) => {
  const channel = { title: '{{SEVERITY}} {{monitor.name}} is {{alert.status}} ({{count}})' }
  const kind = { title: 'kind title', text: 'kind text: {{alert.summary}}' }
  const n = renderNotification('firing', [alert(1)], 'k', [undefined, channel, kind], AT)
  t.equal(n.title, 'WARNING API 1 is firing (1)', "the channel's title")
  t.equal(n.text, 'kind text: 2 consecutive failed runs (threshold 2): HTTP 503', "the plugin kind's text where the channel has none")
  t.match(n.html, '<p><strong>API 1 firing</strong></p>', 'the default html where nobody has one')
  const rule = { title: 'rule says {{monitor.id}} {{event}}' }
  t.equal(renderNotification('firing', [alert(1)], 'k', [rule, channel, kind], AT).title, 'rule says api-1 firing')
  const grouped = renderNotification('firing', [alert(1), alert(2)], 'k', [undefined, { text: '{{#alerts}}{{monitorName}}={{monitorStatus}};{{/alerts}}{{#grouped}} ({{count}}){{/grouped}}' }], AT)
  t.equal(grouped.text, 'API 1=down;API 2=down; (2)')
})

t.test('values are HTML-escaped in html, never in title or text', async (t) => {
  const n = renderNotification('firing', [alert(1, { monitorName: '<script>x()</script> & "co"', summary: 'body <b>bad</b>' })], 'k', [], AT)
  t.match(n.html, '&lt;script&gt;x()&lt;&#x2F;script&gt; &amp; &quot;co&quot;')
  t.notMatch(n.html, '<script>')
  t.match(n.html, 'body &lt;b&gt;bad&lt;&#x2F;b&gt;')
  t.equal(n.title, '[WARNING] <script>x()</script> & "co" firing')
  t.match(n.text, '• [WARNING] <script>x()</script> & "co" (api-1): firing — body <b>bad</b>')
  const custom = renderNotification('firing', [alert(1, { monitorName: 'a&b' })], 'k', [{ title: '{{monitor.name}}', html: '<i>{{monitor.name}}</i> {{{monitor.name}}}' }], AT)
  t.equal(custom.title, 'a&b')
  t.equal(custom.html, '<i>a&amp;b</i> a&b', 'triple braces opt out of escaping in html')
})

t.test('templateProblem names what is wrong with a template', async (t) => {
  t.equal(templateProblem('{{monitor.name}} is {{alert.status}}'), undefined)
  t.equal(templateProblem('{{#alerts}}{{monitorName}}{{/alerts}}'), undefined)
  t.match(templateProblem('{{#alerts}}{{monitorName}}'), /Unclosed section "alerts"/)
  t.match(templateProblem('{{#alerts}}x{{/monitors}}'), /Unclosed section "alerts"/)
  t.match(templateProblem('{{monitor.name'), /Unclosed tag/)
})

t.test('a broken template falls back to the next level and says so in data', async (t) => {
  const n = renderNotification('firing', [alert(1)], 'k', [{ title: '{{#monitor}}{{name}} down' }, { title: 'channel: {{monitor.name}}', text: '{{broken' }], AT)
  t.equal(n.title, 'channel: API 1', "the rule's broken title gives way to the channel's")
  t.match(n.text, /^• \[WARNING\] API 1/, "the channel's broken text gives way to the default")
  t.match(n.data, { templateProblems: [/^title: Unclosed section "monitor"/, /^text: Unclosed tag/] })
})

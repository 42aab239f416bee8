import t from 'tap'
import { isRange, parsePerfdata, rangeUpperBound, splitPluginOutput, toMetrics } from './perfdata.js'

// Examples from the Nagios plugin development guidelines
// (https://nagios-plugins.org/doc/guidelines.html#AEN200) and from real
// monitoring-plugins 2.3.3 output.

t.test('single line: text before |, perfdata after', async (t) => {
  const out = splitPluginOutput('PING ok - Packet loss = 0%, RTA = 0.80 ms | percent_packet_loss=0 rta=0.80\n')
  t.same(out, { summary: 'PING ok - Packet loss = 0%, RTA = 0.80 ms', longText: [], perfdata: 'percent_packet_loss=0 rta=0.80' })
  t.same(parsePerfdata(out.perfdata).data, [
    { label: 'percent_packet_loss', value: 0, unit: '', warn: '', crit: '', min: undefined, max: undefined },
    { label: 'rta', value: 0.8, unit: '', warn: '', crit: '', min: undefined, max: undefined }
  ])
})

t.test('no perfdata', async (t) => {
  t.same(splitPluginOutput('OK: all fine'), { summary: 'OK: all fine', longText: [], perfdata: '' })
  t.same(splitPluginOutput(''), { summary: '', longText: [], perfdata: '' })
  t.same(parsePerfdata(''), { data: [], invalid: [] })
  t.same(parsePerfdata('   '), { data: [], invalid: [] })
})

t.test('multi-line output: the guidelines check_disk example', async (t) => {
  const stdout = [
    'DISK OK - free space: / 3326 MB (56%); | /=2643MB;5948;5958;0;5968',
    '/ 15272 MB (77%);',
    '/boot 68 MB (69%);',
    '/home 69357 MB (27%);',
    '/var/log 819 MB (84%); | /boot=68MB;88;93;0;98',
    '/home=69357MB;253404;253409;0;253414 ',
    '/var/log=818MB;970;975;0;980',
    ''
  ].join('\n')
  const out = splitPluginOutput(stdout)
  t.equal(out.summary, 'DISK OK - free space: / 3326 MB (56%);')
  t.same(out.longText, ['/ 15272 MB (77%);', '/boot 68 MB (69%);', '/home 69357 MB (27%);', '/var/log 819 MB (84%); '])
  const { data, invalid } = parsePerfdata(out.perfdata)
  t.same(invalid, [])
  t.same(
    data.map((d) => [d.label, d.value, d.unit, d.warn, d.crit, d.min, d.max]),
    [
      ['/', 2643, 'MB', '5948', '5958', 0, 5968],
      ['/boot', 68, 'MB', '88', '93', 0, 98],
      ['/home', 69357, 'MB', '253404', '253409', 0, 253414],
      ['/var/log', 818, 'MB', '970', '975', 0, 980]
    ]
  )
})

t.test('multi-line output without perfdata on the first line', async (t) => {
  const out = splitPluginOutput('OK\nline 1\nline 2 | a=1\nb=2\r\n')
  t.same(out, { summary: 'OK', longText: ['line 1', 'line 2 '], perfdata: 'a=1 b=2' })
  const bare = splitPluginOutput('OK | x=1\nmore text\n| y=2')
  t.same(bare, { summary: 'OK', longText: ['more text'], perfdata: 'x=1 y=2' })
})

t.test('real check_http and check_tcp perfdata', async (t) => {
  const http = parsePerfdata('time=0.000573s;;;0.000000;10.000000 size=612B;;;0')
  t.same(toMetrics(http.data), [
    { label: 'time', value: 0.000573, unit: 's', min: 0, max: 10 },
    { label: 'size', value: 612, unit: 'B', min: 0 }
  ])
  const tcp = parsePerfdata('time=0.000123s;;;0.000000;10.000000')
  t.same(toMetrics(tcp.data), [{ label: 'time', value: 0.000123, unit: 's', min: 0, max: 10 }])
  const ping = parsePerfdata('rta=0.049000ms;100.000000;500.000000;0.000000 pl=0%;20;60;0')
  t.same(toMetrics(ping.data), [
    { label: 'rta', value: 0.049, unit: 'ms', warn: 100, crit: 500, min: 0 },
    { label: 'pl', value: 0, unit: '%', warn: 20, crit: 60, min: 0 }
  ])
})

t.test('units of measure: none, s, ms, us, %, B, KB, MB, TB, c', async (t) => {
  const { data, invalid } = parsePerfdata('a=1 b=2s c=3ms d=4us e=5% f=6B g=7KB h=8MB i=9TB j=10c')
  t.same(invalid, [])
  t.same(data.map((d) => d.unit), ['', 's', 'ms', 'us', '%', 'B', 'KB', 'MB', 'TB', 'c'])
  t.same(data.map((d) => d.value), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
})

t.test('quoted labels: spaces, equals signs and doubled quotes', async (t) => {
  const { data, invalid } = parsePerfdata("'C:\\ Used Space'=10.5GB;20;25;0;30 'it''s'=1 'a=b'=2 plain=3")
  t.same(invalid, [])
  t.same(data.map((d) => d.label), ['C:\\ Used Space', "it's", 'a=b', 'plain'])
  t.equal(data[0]?.value, 10.5)
  t.equal(data[0]?.unit, 'GB')
})

t.test('trailing fields may be left out or empty; U is undetermined', async (t) => {
  const { data } = parsePerfdata('a=1;;;; b=2;5 c=U;1;2 d=-3.5e2;;;-1000;0')
  t.same(data.map((d) => [d.label, d.value, d.warn, d.crit, d.min, d.max]), [
    ['a', 1, '', '', undefined, undefined],
    ['b', 2, '5', '', undefined, undefined],
    ['c', undefined, '1', '2', undefined, undefined],
    ['d', -350, '', '', -1000, 0]
  ])
  t.same(toMetrics(data).map((m) => m.label), ['a', 'b', 'd'], 'U is not a metric')
})

t.test('threshold ranges: the upper bound, or none', async (t) => {
  const cases: Array<[string, number | undefined]> = [
    ['', undefined],
    ['10', 10],
    ['10:', undefined],
    ['~:10', 10],
    ['10:20', 20],
    ['@10:20', 20],
    ['@~:0', 0],
    ['-5:-1', -1],
    ['0.5', 0.5]
  ]
  for (const [range, upper] of cases) {
    t.ok(isRange(range), `${range} is a range`)
    t.equal(rangeUpperBound(range), upper, `upper bound of ${JSON.stringify(range)}`)
  }
  for (const bad of ['@', 'abc', '1:2:3', '10-20', '~']) t.notOk(isRange(bad), `${bad} is not a range`)
  const { data } = parsePerfdata('load=3;10:20;@5:30;0 free=80%;20:;10:')
  t.same(toMetrics(data), [
    { label: 'load', value: 3, warn: 20, crit: 30, min: 0 },
    { label: 'free', value: 80, unit: '%' }
  ])
  t.equal(data[0]?.warn, '10:20', 'raw range kept')
  t.equal(data[0]?.crit, '@5:30')
})

t.test('invalid entries are reported and skipped, the rest parsed', async (t) => {
  const { data, invalid } = parsePerfdata("ok=1 novalue= =5 'unterminated=3 junk x=abc y=1;2;3;4;5;6 z=1;x w=2")
  t.same(data.map((d) => d.label), ['ok', 'w'])
  t.same(invalid, ['novalue=', '=5', "'unterminated=3", 'junk', 'x=abc', 'y=1;2;3;4;5;6', 'z=1;x'])
  const unquoted = parsePerfdata('two words=1 x=2')
  t.same(unquoted.invalid, ['two'])
  t.same(unquoted.data.map((d) => d.label), ['words', 'x'])
})

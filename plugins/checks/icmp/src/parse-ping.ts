/** The summary of one ping run, as printed by iputils `ping`. */
export interface PingSummary {
  /** The address pinged, from the `PING host (address)` header, when printed. */
  address: string | undefined
  transmitted: number
  received: number
  /** As printed, e.g. `33.3333`; `100` when nothing came back. */
  lossPercent: number
  duplicates: number
  errors: number
  /** Round-trip times in ms; absent when no reply came back. */
  rtt: { min: number; avg: number; max: number; stddev: number | undefined } | undefined
}

const HEADER = /^PING \S+ ?\(([^)]+)\)/m
const STATS = /^(\d+) packets transmitted, (\d+) (?:packets )?received(.*)$/m
const LOSS = /([\d.]+)% packet loss/
const DUPLICATES = /\+(\d+) duplicates/
const ERRORS = /\+(\d+) errors/
// iputils: `rtt min/avg/max/mdev`; BusyBox and BSD: `round-trip min/avg/max[/stddev]`.
const RTT = /^(?:rtt|round-trip) min\/avg\/max(?:\/(?:mdev|stddev))? = ([\d.]+)\/([\d.]+)\/([\d.]+)(?:\/([\d.]+))? ms/m

/**
 * Reads the statistics block iputils `ping` prints at the end (run with
 * `LC_ALL=C`: the numbers are localised otherwise). `undefined` when there is
 * none, i.e. ping failed before sending (unknown host, bad option).
 *
 * @example
 * parsePingOutput('3 packets transmitted, 2 received, 33.3333% packet loss, time 2003ms\nrtt min/avg/max/mdev = 0.1/0.2/0.3/0.05 ms')
 * // { transmitted: 3, received: 2, lossPercent: 33.3333, rtt: { min: 0.1, avg: 0.2, max: 0.3, stddev: 0.05 }, ... }
 */
export function parsePingOutput(stdout: string): PingSummary | undefined {
  const stats = STATS.exec(stdout)
  if (stats === null) return undefined
  const transmitted = Number(stats[1])
  const received = Number(stats[2])
  const rest = stats[3] ?? ''
  const loss = LOSS.exec(rest)
  const rtt = RTT.exec(stdout)
  return {
    address: HEADER.exec(stdout)?.[1],
    transmitted,
    received,
    // iputils leaves the loss out when nothing was transmitted.
    lossPercent: loss !== null ? Number(loss[1]) : transmitted === 0 ? 100 : ((transmitted - received) / transmitted) * 100,
    duplicates: Number(DUPLICATES.exec(rest)?.[1] ?? 0),
    errors: Number(ERRORS.exec(rest)?.[1] ?? 0),
    rtt:
      rtt === null
        ? undefined
        : { min: Number(rtt[1]), avg: Number(rtt[2]), max: Number(rtt[3]), stddev: rtt[4] === undefined ? undefined : Number(rtt[4]) }
  }
}

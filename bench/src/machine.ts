import os from 'node:os'

/** One line that says what the figures were measured on. */
export function describeMachine(): string {
  const cpus = os.cpus()
  return [
    `machine: ${cpus[0]?.model ?? 'unknown cpu'} × ${os.availableParallelism()} cores`,
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `${os.type()} ${os.release()}`,
    `Node.js ${process.version}`
  ].join(', ')
}

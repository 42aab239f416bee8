import { describeMachine } from './machine.js'

const benches: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  scheduler: () => import('./scheduler-bench.js'),
  storage: () => import('./storage-bench.js'),
  api: () => import('./api-bench.js'),
  alerts: () => import('./alerts-bench.js'),
  assertions: () => import('./assertions-bench.js'),
  cluster: () => import('./cluster-bench.js')
}

const [name, ...args] = process.argv.slice(2)
if (name === undefined || !(name in benches)) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [options]\n`)
  process.exit(2)
}
console.log(describeMachine())
const mod = await benches[name]!()
await mod.run(args)

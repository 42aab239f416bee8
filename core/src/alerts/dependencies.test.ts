import t from 'tap'
import { DependencyGraph, dependencyProblems } from './dependencies.js'
import type { DependentMonitor } from './dependencies.js'

const m = (id: string, tags: string[] = [], dependsOn?: DependentMonitor['dependsOn']): DependentMonitor => ({ id, tags, ...(dependsOn ? { dependsOn } : {}) })

// network ← pg-primary, pg-replica (tag db) ← checkout-api ← checkout-page
const monitors = [
  m('network', ['infra']),
  m('pg-primary', ['db'], { monitors: ['network'] }),
  m('pg-replica', ['db'], { monitors: ['network'] }),
  m('checkout-api', ['api'], { tags: ['db'] }),
  m('checkout-page', ['web'], { monitors: ['checkout-api'] }),
  m('search', ['api'])
]
const downSet = (...ids: string[]) => (id: string) => ids.includes(id)

t.test('parents come from ids and from tags', async (t) => {
  const g = new DependencyGraph(monitors)
  t.same(g.parentsOf('checkout-api'), ['pg-primary', 'pg-replica'])
  t.same(g.parentsOf('checkout-page'), ['checkout-api'])
  t.same(g.parentsOf('network'), [])
  t.same(g.parentsOf('unknown'), [])
})

t.test('suppressingAncestor finds the nearest down ancestor, transitively', async (t) => {
  const g = new DependencyGraph(monitors)
  t.equal(g.suppressingAncestor('checkout-api', downSet('pg-replica')), 'pg-replica')
  t.equal(g.suppressingAncestor('checkout-page', downSet('network')), 'network', 'two levels up')
  t.equal(g.suppressingAncestor('checkout-page', downSet('network', 'checkout-api')), 'checkout-api', 'the nearer one first')
  t.equal(g.suppressingAncestor('checkout-page', downSet('search', 'checkout-page')), undefined, 'unrelated and self do not count')
  t.equal(g.suppressingAncestor('network', downSet('pg-primary')), undefined, 'dependents do not suppress what they depend on')
})

t.test('a monitor never depends on itself, even through its own tag', async (t) => {
  const g = new DependencyGraph([m('db-1', ['db'], { tags: ['db'] }), m('db-2', ['db'])])
  t.same(g.parentsOf('db-1'), ['db-2'])
  t.equal(g.suppressingAncestor('db-1', downSet('db-1')), undefined)
  t.equal(g.suppressingAncestor('db-1', downSet('db-2')), 'db-2')
})

t.test('cycles end the search and are reported', async (t) => {
  const g = new DependencyGraph([
    m('a', [], { monitors: ['b'] }),
    m('b', [], { monitors: ['c'] }),
    m('c', [], { monitors: ['a'] }),
    m('d', [], { monitors: ['a'] }),
    m('x', ['pair'], { tags: ['pair'] }),
    m('y', ['pair'], { tags: ['pair'] })
  ])
  t.equal(g.suppressingAncestor('a', downSet()), undefined, 'terminates')
  t.equal(g.suppressingAncestor('d', downSet('c')), 'c')
  const cycles = g.cycles().map((c) => [...c].sort())
  t.same(cycles.sort(), [['a', 'b', 'c'], ['x', 'y']])
  t.same(new DependencyGraph(monitors).cycles(), [], 'a tree has none')
})

t.test('cycles() handles a long chain without overflowing the stack', async (t) => {
  const chain = Array.from({ length: 20_000 }, (_, i) => m(`m${i}`, [], { monitors: [`m${(i + 1) % 20_000}`] }))
  const cycles = new DependencyGraph(chain).cycles()
  t.equal(cycles.length, 1)
  t.equal(cycles[0]?.length, 20_000)
})

t.test('dependencyProblems: unknown ids, self, and cycles at their first monitor', async (t) => {
  const problems = dependencyProblems([
    m('web', [], { monitors: ['api', 'ghost', 'web'] }),
    m('api', [], { monitors: ['web'] })
  ])
  t.same(problems, [
    { pointer: '/monitors/0/dependsOn/monitors/1', message: 'no monitor has the id "ghost"' },
    { pointer: '/monitors/0/dependsOn/monitors/2', message: 'a monitor cannot depend on itself' },
    {
      pointer: '/monitors/0/dependsOn',
      message: 'dependency cycle: "web" → "api" → "web"; monitors that depend on each other would suppress each other\'s alerts'
    }
  ])
  t.same(dependencyProblems(monitors), [])
})

/** The parts of a monitor the dependency graph reads (a config `Monitor` is one). */
export interface DependentMonitor {
  id: string
  tags: readonly string[]
  /** This monitor fails when these fail: the monitors with these ids, and every monitor with any of these tags. */
  dependsOn?: { monitors?: readonly string[]; tags?: readonly string[] }
}

/** A problem found in the monitors' `dependsOn`, in the form config validation reports. */
export interface DependencyProblem {
  pointer: string
  message: string
}

/**
 * Which monitors each monitor depends on, resolved once per config version:
 * an alert for a monitor is suppressed while something it depends on —
 * directly or through other monitors — is down, because the failure upstream
 * explains it (the database is down, so every API behind it fails).
 *
 * @example
 * const graph = new DependencyGraph(config.monitors)
 * graph.suppressingAncestor('checkout-api', (id) => states.get(id) === 'down') // 'postgres-primary'
 */
export class DependencyGraph {
  readonly #parents = new Map<string, readonly string[]>()
  readonly #order: string[] = []

  constructor(monitors: Iterable<DependentMonitor>) {
    const list = [...monitors]
    const byTag = new Map<string, string[]>()
    for (const m of list) {
      for (const tag of m.tags) {
        let ids = byTag.get(tag)
        if (ids === undefined) byTag.set(tag, (ids = []))
        ids.push(m.id)
      }
    }
    const known = new Set(list.map((m) => m.id))
    for (const m of list) {
      const parents = new Set<string>()
      // Unknown ids are left out here; dependencyProblems reports them.
      for (const id of m.dependsOn?.monitors ?? []) if (known.has(id)) parents.add(id)
      for (const tag of m.dependsOn?.tags ?? []) for (const id of byTag.get(tag) ?? []) parents.add(id)
      // A monitor tagged `db` that depends on tag `db` would otherwise suppress itself.
      parents.delete(m.id)
      this.#parents.set(m.id, [...parents])
      this.#order.push(m.id)
    }
  }

  /** The monitors `id` depends on directly, in config order of the dependsOn entries. */
  parentsOf(id: string): readonly string[] {
    return this.#parents.get(id) ?? []
  }

  /**
   * The nearest monitor `id` depends on (directly or transitively) that is
   * down, or undefined when none is. Breadth-first, so a direct parent wins
   * over a grandparent; each monitor is visited once, so cycles end.
   */
  suppressingAncestor(id: string, isDown: (id: string) => boolean): string | undefined {
    const seen = new Set<string>([id])
    let frontier = [...this.parentsOf(id)]
    for (const p of frontier) seen.add(p)
    while (frontier.length > 0) {
      const next: string[] = []
      for (const p of frontier) {
        if (isDown(p)) return p
        for (const gp of this.parentsOf(p)) {
          if (!seen.has(gp)) {
            seen.add(gp)
            next.push(gp)
          }
        }
      }
      frontier = next
    }
    return undefined
  }

  /**
   * Every dependency cycle, one per group of monitors that depend on one
   * another, as the ids along one loop (`['a', 'b']`: a depends on b, b on a).
   * Monitors in a cycle would suppress each other's alerts when all are
   * down, so nobody would hear of the outage: config validation refuses them.
   */
  cycles(): string[][] {
    return stronglyConnected(this.#order, (id) => this.parentsOf(id))
      .filter((group) => group.length > 1)
      .map((group) => loopThrough(group, (id) => this.parentsOf(id)))
  }
}

/**
 * Config problems in the monitors' `dependsOn`: ids that name no monitor, a
 * monitor naming itself, and cycles (reported once, at the first monitor of
 * the cycle in config order). Pointers are `/monitors/<index>/dependsOn/...`.
 */
export function dependencyProblems(monitors: readonly DependentMonitor[]): DependencyProblem[] {
  const problems: DependencyProblem[] = []
  const index = new Map(monitors.map((m, i) => [m.id, i] as const))
  monitors.forEach((m, i) => {
    m.dependsOn?.monitors?.forEach((id, j) => {
      const at = `/monitors/${i}/dependsOn/monitors/${j}`
      if (id === m.id) problems.push({ pointer: at, message: 'a monitor cannot depend on itself' })
      else if (!index.has(id)) problems.push({ pointer: at, message: `no monitor has the id "${id}"` })
    })
  })
  for (const loop of new DependencyGraph(monitors).cycles()) {
    const first = Math.min(...loop.map((id) => index.get(id) ?? Number.MAX_SAFE_INTEGER))
    const start = monitors[first]?.id ?? loop[0] ?? ''
    const at = loop.indexOf(start)
    const path = [...loop.slice(at), ...loop.slice(0, at), start]
    problems.push({
      pointer: `/monitors/${first}/dependsOn`,
      message: `dependency cycle: ${path.map((id) => `"${id}"`).join(' → ')}; monitors that depend on each other would suppress each other's alerts`
    })
  }
  return problems
}

/**
 * Tarjan's strongly connected components, iterative: 10,000 monitors in a
 * chain would overflow the call stack of the recursive form.
 */
function stronglyConnected(nodes: readonly string[], edges: (id: string) => readonly string[]): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const groups: string[][] = []
  let counter = 0
  for (const root of nodes) {
    if (index.has(root)) continue
    const work: Array<{ id: string; next: number }> = [{ id: root, next: 0 }]
    index.set(root, counter)
    low.set(root, counter++)
    stack.push(root)
    onStack.add(root)
    while (work.length > 0) {
      const frame = work[work.length - 1] as { id: string; next: number }
      const out = edges(frame.id)
      if (frame.next < out.length) {
        const to = out[frame.next++] as string
        if (!index.has(to)) {
          index.set(to, counter)
          low.set(to, counter++)
          stack.push(to)
          onStack.add(to)
          work.push({ id: to, next: 0 })
        } else if (onStack.has(to)) {
          low.set(frame.id, Math.min(low.get(frame.id) as number, index.get(to) as number))
        }
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent !== undefined) low.set(parent.id, Math.min(low.get(parent.id) as number, low.get(frame.id) as number))
      if (low.get(frame.id) === index.get(frame.id)) {
        const group: string[] = []
        let member: string | undefined
        do {
          member = stack.pop() as string
          onStack.delete(member)
          group.push(member)
        } while (member !== frame.id)
        groups.push(group)
      }
    }
  }
  return groups
}

/** A shortest loop from the group's first member back to it, staying inside the group. */
function loopThrough(group: readonly string[], edges: (id: string) => readonly string[]): string[] {
  const members = new Set(group)
  const start = group[0] as string
  const cameFrom = new Map<string, string>()
  const queue = [start]
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i] as string
    for (const to of edges(at)) {
      if (!members.has(to)) continue
      if (to === start) {
        const path = [at]
        for (let p = cameFrom.get(at); p !== undefined; p = cameFrom.get(p)) path.push(p)
        return path.reverse()
      }
      if (!cameFrom.has(to)) {
        cameFrom.set(to, at)
        queue.push(to)
      }
    }
  }
  return [...group] // unreachable for a real component
}

import { randomUUID } from 'node:crypto'
import { mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { CheckResult } from '@vedette/sdk'
import { SpillFailedError } from './errors.js'
import { lockObject } from './schema-names.js'

/** One `writeResults` call waiting for PostgreSQL; `id` makes its replay idempotent. */
export interface QueuedBatch {
  id: string
  results: CheckResult[]
}

/**
 * The file name prefix of a store's spill files: the schema and a hash of
 * host, port, database and schema (never the password), so a file is only
 * ever replayed into the database it was meant for.
 */
export function spillPrefix(url: string, schema: string): string {
  const u = new URL(url)
  const target = `${u.hostname}:${u.port || '5432'}/${decodeURIComponent(u.pathname.slice(1))}/${schema}`
  return `${schema}-${(lockObject(target) >>> 0).toString(16).padStart(8, '0')}`
}

/** Spill files held by running stores of this process: never adopted by another store. */
const LIVE = new Set<string>()
let counter = 0

/** Sortable, unique within the process: files are replayed in the order they were made. */
function stamp(): string {
  return `${String(Date.now()).padStart(15, '0')}-${String(++counter).padStart(6, '0')}`
}

/**
 * Results buffered on disk while PostgreSQL is unreachable, one JSON line per
 * batch (`{"id":…,"results":[…]}`), each append flushed with fdatasync before
 * the write that made it resolves. Names are
 * `<prefix>.<pid>.<stamp>.jsonl` while a store owns the file and
 * `<prefix>.orphan.<stamp>.jsonl` once a stopped store handed it on; the
 * prefix names the database and schema, so a file is only ever replayed into
 * the database it was meant for.
 */
export class SpillFile {
  readonly path: string
  /** Results appended and not yet consumed. */
  results = 0
  /** Lines that did not parse (skipped: they cannot be replayed, and must not block what follows). */
  corrupt = 0
  #handle: FileHandle | undefined
  #appends: Promise<void> = Promise.resolve()
  #offset = 0

  private constructor(path: string) {
    this.path = path
    LIVE.add(path)
  }

  static async create(dir: string, prefix: string): Promise<SpillFile> {
    const path = join(dir, `${prefix}.${process.pid}.${stamp()}.jsonl`)
    try {
      await mkdir(dir, { recursive: true })
      const file = new SpillFile(path)
      file.#handle = await open(path, 'a')
      return file
    } catch (cause) {
      LIVE.delete(path)
      throw new SpillFailedError(path, (cause as Error).message, { cause })
    }
  }

  /**
   * Spill files in `dir` for `prefix` that no running store owns: handed on
   * at stop, or left by a process that died (its pid is gone, or it is this
   * process's pid after a restart in a container where pids repeat). Each is
   * claimed by renaming it, so two stores starting at once never both take it.
   */
  static async adoptOrphans(dir: string, prefix: string): Promise<SpillFile[]> {
    let names: string[]
    try {
      names = await readdir(dir)
    } catch {
      return []
    }
    const pattern = new RegExp(`^${prefix.replace(/[^a-z0-9_-]/g, '')}\\.(orphan|\\d+)\\.(\\d{15}-\\d{6}(?:-[0-9a-f]{8})?)\\.jsonl$`)
    const found = names
      .map((name) => ({ name, m: pattern.exec(name) }))
      .filter(({ name, m }) => m !== null && isOrphan(m[1] as string, join(dir, name)))
      .sort((a, b) => ((a.m?.[2] as string) < (b.m?.[2] as string) ? -1 : 1))
    const adopted: SpillFile[] = []
    for (const { name } of found) {
      const path = join(dir, `${prefix}.${process.pid}.${stamp()}.jsonl`)
      try {
        await rename(join(dir, name), path)
      } catch {
        continue // another store claimed it first
      }
      const file = new SpillFile(path)
      file.results = await file.#count()
      adopted.push(file)
    }
    return adopted
  }

  /** Appends batches after every earlier append; resolves once they are on disk. */
  append(batches: readonly QueuedBatch[]): Promise<void> {
    const data = batches.map((b) => JSON.stringify(b) + '\n').join('')
    const n = batches.reduce((sum, b) => sum + b.results.length, 0)
    const next = this.#appends.then(async () => {
      const handle = this.#handle
      if (handle === undefined) throw new SpillFailedError(this.path, 'the file was sealed for replay')
      try {
        await handle.appendFile(data)
        await handle.datasync()
      } catch (cause) {
        throw new SpillFailedError(this.path, (cause as Error).message, { cause })
      }
      this.results += n
    })
    // A failed append fails its own caller, not the ones after it.
    this.#appends = next.catch(() => undefined)
    return next
  }

  /** No more appends: waits for the pending ones and closes the append handle. */
  async seal(): Promise<void> {
    await this.#appends
    const handle = this.#handle
    this.#handle = undefined
    await handle?.close()
  }

  /**
   * The next batches after what was consumed, about `maxResults` results (at
   * least one batch), and the offset to `consume` once they are written; or
   * undefined at the end of the file. A torn last line (the process died in
   * the middle of an append, before that write resolved) is skipped.
   */
  async readNext(maxResults: number): Promise<{ batches: QueuedBatch[]; end: number; results: number } | undefined> {
    const handle = await open(this.path, 'r')
    try {
      const batches: QueuedBatch[] = []
      let results = 0
      let offset = this.#offset
      let carry = Buffer.alloc(0)
      const chunk = Buffer.alloc(1 << 20)
      while (results < maxResults) {
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, offset + carry.length)
        if (bytesRead === 0) break
        carry = Buffer.concat([carry, chunk.subarray(0, bytesRead)])
        let nl: number
        while (results < maxResults && (nl = carry.indexOf(10)) !== -1) {
          const batch = parseLine(carry.subarray(0, nl))
          if (batch === undefined) this.corrupt++
          else {
            batches.push(batch)
            results += batch.results.length
          }
          offset += nl + 1
          carry = carry.subarray(nl + 1)
        }
      }
      return offset === this.#offset ? undefined : { batches, end: offset, results }
    } catch (cause) {
      throw new SpillFailedError(this.path, (cause as Error).message, { cause })
    } finally {
      await handle.close()
    }
  }

  /** Marks everything before `end` as written. */
  consume(end: number, results: number): void {
    this.#offset = end
    this.results -= results
  }

  /** Everything not yet consumed, as lines, for handing the rest on at stop. */
  async *remaining(): AsyncGenerator<QueuedBatch[]> {
    await this.#appends
    const start = this.#offset
    for (let next = await this.readNext(10_000); next !== undefined; next = await this.readNext(10_000)) {
      this.#offset = next.end
      yield next.batches
    }
    this.#offset = start
  }

  /** Hands the file on to the next store that starts with this prefix. */
  async release(): Promise<void> {
    await this.seal()
    LIVE.delete(this.path)
  }

  async remove(): Promise<void> {
    await this.seal()
    await rm(this.path, { force: true })
    LIVE.delete(this.path)
  }

  /** The name a file gets when a stopping store hands its backlog on. */
  static orphanPath(dir: string, prefix: string): string {
    return join(dir, `${prefix}.orphan.${stamp()}-${randomUUID().slice(0, 8)}.jsonl`)
  }

  async #count(): Promise<number> {
    let n = 0
    for (let next = await this.readNext(100_000); next !== undefined; next = await this.readNext(100_000)) {
      n += next.results
      this.#offset = next.end
    }
    this.#offset = 0
    return n
  }
}

function parseLine(line: Buffer): QueuedBatch | undefined {
  try {
    const batch = JSON.parse(line.toString('utf8')) as QueuedBatch
    return typeof batch?.id === 'string' && Array.isArray(batch.results) ? batch : undefined
  } catch {
    return undefined
  }
}

function isOrphan(owner: string, path: string): boolean {
  if (owner === 'orphan') return true
  const pid = Number(owner)
  if (pid === process.pid) return !LIVE.has(path)
  try {
    process.kill(pid, 0)
    return false // alive (or alive under another user: EPERM is thrown below)
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

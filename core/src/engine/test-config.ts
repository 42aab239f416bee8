import type { Monitor, VedetteConfig } from '../config/types.js'

/** A complete engine config for tests, bypassing file validation (so intervals can be milliseconds). */
export function testConfig(overrides: Partial<VedetteConfig> & { dataDir: string }): VedetteConfig {
  return {
    server: { port: 0, host: '127.0.0.1', rateLimit: false },
    logLevel: 'silent',
    storage: { plugin: '@vedette/storage-memory', config: {} },
    plugins: [],
    monitors: [],
    auth: { enabled: false, plugins: [], publicMetrics: true },
    ...overrides,
    engine: {
      workers: 1,
      concurrencyPerWorker: 64,
      maxQueue: 1000,
      processWorkers: 1,
      hookTimeoutMs: 1000,
      shutdownTimeoutMs: 5000,
      failureThreshold: 2,
      recoveryThreshold: 1,
      flushIntervalMs: 20,
      ...overrides.engine
    }
  }
}

export function testMonitor(id: string, type: string, config: Record<string, unknown>, extra: Partial<Monitor> = {}): Monitor {
  return {
    tenantId: 'default',
    id,
    name: id,
    type,
    schedule: { kind: 'interval', everyMs: 100 },
    timeoutMs: 1000,
    enabled: true,
    tags: [],
    failureThreshold: 2,
    recoveryThreshold: 1,
    config,
    ...extra
  }
}

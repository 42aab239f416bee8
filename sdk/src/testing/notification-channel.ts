import { tmpdir } from 'node:os'
import type { Test } from 'tap'
import { silentLogger } from '../logger.js'
import type { NotifierInstance, NotifierPlugin } from '../notifier.js'
import type { PluginContext } from '../plugin-context.js'

/** The context the engine would hand a notifier plugin, with a silent logger. */
export function notifierContext(name = '@vedette/notifier-test'): PluginContext {
  return { name, engineVersion: '0.1.0', dataDir: tmpdir(), resolvePath: (p: string) => p, logger: silentLogger }
}

/**
 * A channel of `plugin` with `config`, created as the engine creates it and
 * stopped when `t` ends (closing its connections).
 *
 * @example
 * const channel = await notifierChannel(t, slackNotifier, { url: rx.base + HOOK_PATH })
 * const report = await channel.send(notificationFixture(), new AbortController().signal)
 */
export async function notifierChannel<C>(t: Test, plugin: NotifierPlugin<C>, config: C, ctx: PluginContext = notifierContext()): Promise<NotifierInstance> {
  const instance = await plugin.create(config, ctx)
  t.teardown(() => instance.stop?.())
  return instance
}

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startWranglerDev } from './wrangler-dev'

export type LocalBridge = { url: string; log: () => string; stop: () => Promise<void> }

/**
 * Both workers on a port the kernel picks, quiet, with `settings` over the development ones of
 * their files, local storage in `persistTo` and their configs in a temporary directory (removed
 * on `stop`): what the e2e tests, chaos and most of the bench run. Fails with wrangler's output.
 */
export async function startLocalBridge(
  settings: Record<string, string>,
  persistTo: string,
): Promise<LocalBridge> {
  const configDir = await mkdtemp(join(tmpdir(), 'udesk-bridge-config-'))
  const dev = startWranglerDev({
    ...{ host: '127.0.0.1', port: 0, inspectorPort: 0, output: 'pipe' },
    ...{ settings, configDir, persistTo },
  })
  const stop = async () => {
    await dev.stop()
    await rm(configDir, { recursive: true, force: true })
  }
  try {
    return { url: await dev.ready, log: dev.log, stop }
  } catch (err) {
    await stop()
    throw new Error(`${err instanceof Error ? err.message : err}\n${dev.log()}`)
  }
}

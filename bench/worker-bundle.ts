import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { Miniflare } from 'miniflare'
import { PROJECT_ROOT } from '../scripts/wrangler-dev'

export interface WorkerBundle {
  /** The bundled module, as `wrangler deploy` would upload it. */
  code: string
  bytes: number
  /** gzip (level 6, zlib's default) of `code`: what Cloudflare's size limit counts. */
  gzipBytes: number
}

const WRANGLER = join(PROJECT_ROOT, 'node_modules/wrangler/bin/wrangler.js')

/** The bridge's two workers, by their config files (README, "Deploying"). */
export const WORKER_CONFIGS = { edge: 'wrangler.toml', core: 'wrangler.core.toml' } as const
export type BridgeWorker = keyof typeof WORKER_CONFIGS

/**
 * The deploy bundle of one of the bridge's workers (`wrangler deploy --dry-run --env
 * production -c <its config>`), or of another entry (`{ entry }`) bundled the same way (same
 * compatibility date and flags, minified, no kept names).
 */
export async function bundleWorker(
  target: BridgeWorker | { entry: string },
): Promise<WorkerBundle> {
  const dir = await mkdtemp(join(tmpdir(), 'udesk-bridge-bundle-'))
  try {
    const args = ['deploy', '--dry-run', '--outdir', join(dir, 'out')]
    if (typeof target === 'object') {
      const config = join(dir, 'wrangler.json')
      await writeFile(config, JSON.stringify(await configFor(target.entry)))
      args.push('--config', config)
    } else {
      args.push('--config', WORKER_CONFIGS[target], '--env', 'production')
    }
    await promisify(execFile)(process.execPath, [WRANGLER, ...args], { cwd: PROJECT_ROOT })
    // Named after the entry (`edge.js` for the edge's src/edge.ts).
    const file = (await readdir(join(dir, 'out'))).find((name) => name.endsWith('.js'))
    const code = await readFile(join(dir, 'out', file ?? 'index.js'), 'utf8')
    return { code, bytes: Buffer.byteLength(code), gzipBytes: gzipSync(code).byteLength }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The project's build settings from wrangler.toml, for an entry of the bench's own. */
async function configFor(entry: string) {
  const toml = await readFile(join(PROJECT_ROOT, 'wrangler.toml'), 'utf8')
  const setting = (name: string) => new RegExp(`^${name} = (.*)$`, 'm').exec(toml)?.[1]
  return {
    name: 'bench-worker',
    main: join(PROJECT_ROOT, entry),
    compatibility_date: JSON.parse(setting('compatibility_date') ?? '"2026-04-20"'),
    compatibility_flags: JSON.parse(setting('compatibility_flags') ?? '[]'),
    minify: setting('minify') === 'true',
    keep_names: setting('keep_names') !== 'false',
  }
}

/** A bundled worker running in workerd (Miniflare), with plain-text bindings. */
export async function runInWorkerd(
  modules: { path: string; contents: string }[],
  bindings: Record<string, string> = {},
): Promise<Miniflare> {
  const toml = await readFile(join(PROJECT_ROOT, 'wrangler.toml'), 'utf8')
  const date = /^compatibility_date = "(.*)"$/m.exec(toml)?.[1]
  const mf = new Miniflare({
    modules: modules.map((m) => ({ type: 'ESModule' as const, ...m })),
    compatibilityDate: date,
    compatibilityFlags: ['nodejs_compat'],
    bindings,
  })
  await mf.ready
  return mf
}

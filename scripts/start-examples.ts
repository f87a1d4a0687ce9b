/**
 * The examples that name the bridge's URL inside a file (a form's `action`, Alertmanager's and
 * Grafana's webhook URL), copied with the URL of the bridge `npm start` really runs, so a moved
 * `BRIDGE_PORT` (or `SIM_PORT`) never sends them to another worker.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { PROJECT_ROOT } from './wrangler-dev'

/** The URLs the committed examples are written for: DESIGN's default ports. */
export const DEFAULT_BRIDGE_URL = 'http://127.0.0.1:8787'
export const DEFAULT_SIM_URL = 'http://127.0.0.1:8788'

/** Example files (under examples/) that hold a URL, by what they configure. */
export const CONFIGURED_EXAMPLES = {
  'contact form': 'contact-form/index.html',
  Alertmanager: 'alertmanager/alertmanager.yml',
  Grafana: 'grafana/provisioning/udesk-bridge.yaml',
} as const

export type ConfiguredExamples = Record<keyof typeof CONFIGURED_EXAMPLES, string>

/** `text` with the default bridge and simulator URLs replaced by the running ones. */
export function withUrls(text: string, urls: { bridgeUrl: string; simUrl: string }): string {
  return text
    .replaceAll(DEFAULT_BRIDGE_URL, urls.bridgeUrl)
    .replaceAll(DEFAULT_SIM_URL, urls.simUrl)
}

/** Writes the configured copies under `dir`; returns each copy's absolute path. */
export async function writeConfiguredExamples(
  dir: string,
  urls: { bridgeUrl: string; simUrl: string },
): Promise<ConfiguredExamples> {
  const written: Partial<ConfiguredExamples> = {}
  for (const [name, path] of Object.entries(CONFIGURED_EXAMPLES)) {
    const text = await readFile(join(PROJECT_ROOT, 'examples', path), 'utf8')
    const target = join(dir, path)
    await mkdir(dirname(target), { recursive: true })
    await writeFile(target, withUrls(text, urls))
    written[name as keyof ConfiguredExamples] = target
  }
  return written as ConfiguredExamples
}

/**
 * `npm run deploy` runs this first (`predeploy`): it stops the deploy when wrangler.toml (the
 * edge) and wrangler.core.toml (the core) disagree on a source or a shared var of
 * `[env.production]`, naming each difference (see scripts/config-drift.ts).
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { configDrift } from './config-drift'
import { PROJECT_ROOT } from './dev-configs'

const [edge, core] = await Promise.all(
  ['wrangler.toml', 'wrangler.core.toml'].map((f) => readFile(join(PROJECT_ROOT, f), 'utf8')),
)
const problems = configDrift(edge!, core!, 'production')
if (problems.length > 0) {
  console.error('The two workers must read the same sources (README, "Deploying"):')
  for (const problem of problems) console.error(`  - ${problem} ([env.production.vars])`)
  process.exit(1)
}
console.log('wrangler.toml and wrangler.core.toml agree on the production sources and vars.')

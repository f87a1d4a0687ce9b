import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PROJECT_ROOT } from '../scripts/wrangler-dev'

/**
 * One benchmark figure: its result next to the baseline measured in the same run, the ratio
 * between them, and whether it meets its target (absent when the figure has none). `data`
 * holds the raw numbers for bench/results.json (units in the key: `Ms`, `PerSecond`, ...).
 */
export type Figure = {
  name: string
  baseline: string
  result: string
  ratio: string
  met?: boolean
  data?: Record<string, number | string>
}

/** A table of figures; `npm run bench` runs the sections in order (bench/run.ts). */
export type Section = {
  id: string
  title: string
  /** Skipped in quick mode (`BENCH_QUICK=1`) when it takes long on its own. */
  slow?: boolean
  run: () => Promise<Figure[]>
}

export type SectionResult = {
  id: string
  title: string
  figures: Figure[]
  /** When the section ran (ISO); its baselines come from that same run. */
  ranAt?: string
}

export function printTable(section: SectionResult): void {
  const header = ['benchmark', 'baseline (same run)', 'result', 'ratio', 'target']
  const rows = section.figures.map((f) => [
    f.name,
    f.baseline,
    f.result,
    f.ratio,
    f.met === undefined ? '' : f.met ? 'met' : 'MISSED',
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (r: string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  console.log(`\n${section.title}`)
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const row of rows) console.log(line(row))
}

/** bench/results.json: every section's figures with their baselines, ratios and raw data. */
/**
 * Writes bench/results.json. A run of some sections (`BENCH_SECTIONS`) replaces those and keeps
 * the others as an earlier run left them, each with its own `ranAt` (every ratio in a section is
 * to a baseline of that section's run).
 */
export async function writeResults(
  sections: SectionResult[],
  quick: boolean,
  partial = false,
): Promise<string> {
  const path = join(PROJECT_ROOT, 'bench/results.json')
  const ranAt = new Date().toISOString()
  const fresh = sections.map((section) => ({ ...section, ranAt }))
  const kept = partial ? await earlierSections(path, new Set(sections.map((s) => s.id))) : []
  const results = { ranAt, quick, sections: [...kept, ...fresh] }
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`)
  return path
}

async function earlierSections(path: string, replaced: Set<string>): Promise<SectionResult[]> {
  try {
    const earlier = JSON.parse(await readFile(path, 'utf8')) as {
      ranAt?: string
      sections?: SectionResult[]
    }
    return (earlier.sections ?? [])
      .filter((section) => !replaced.has(section.id))
      .map((section) => ({ ...section, ranAt: section.ranAt ?? earlier.ranAt }))
  } catch {
    return []
  }
}

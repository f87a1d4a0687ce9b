/**
 * The first table of README text after `start` (an index into `readme`), up to the next
 * heading: each row whose first cell is one `name` in backticks, by name, with its other
 * cells. Lines before the table are skipped; the table ends at its first line that is no row.
 */
export function readmeTable(readme: string, start: number): Map<string, string[]> {
  const rows = new Map<string, string[]>()
  let inTable = false
  for (const line of readme.slice(start).split('\n')) {
    if (line.startsWith('#')) break
    if (!line.startsWith('|')) {
      if (inTable) break
      continue
    }
    inTable = true
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim())
    const name = /^`([^`]+)`$/.exec(cells[0] ?? '')?.[1]
    if (name) rows.set(name, cells.slice(1))
  }
  return rows
}

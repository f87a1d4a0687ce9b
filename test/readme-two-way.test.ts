/// <reference types="vite/client" />
import { describe, it } from 'vitest'
import * as z from 'zod/mini'
import readme from '../README.md?raw'
import { TwoWaySettingsSchema } from '../src/two-way-config'
import { readmeTable } from './helpers/readme-table'

/** The settings table of README's two-way section: name -> [type, default, meaning]. */
function settingsTable(): Map<string, string[]> {
  const section = readme.indexOf('### Two-way: polling, doorbell and webhook replies')
  const start = readme.indexOf('**Settings.**', section)
  if (section < 0 || start < 0) throw new Error('README has no two-way settings table')
  return readmeTable(readme, start)
}

describe('README "Two-way: polling, doorbell and webhook replies"', () => {
  it('lists every two-way setting with the default the schema fills in', ({ expect }) => {
    const table = settingsTable()

    expect([...table.keys()].sort()).toEqual(Object.keys(TwoWaySettingsSchema.shape).sort())
    for (const [name, field] of Object.entries(TwoWaySettingsSchema.shape)) {
      const parsed = z.safeParse(field as z.ZodMiniType, undefined)
      const fallback = parsed.success ? parsed.data : undefined
      const cell = table.get(name)?.[1]
      if (fallback === undefined) expect(cell, name).toBe('(none)')
      else expect(cell, name).toBe(`\`${String(fallback)}\``)
    }
  })
})

/// <reference types="vite/client" />
import { describe, it } from 'vitest'
import { configDrift } from '../scripts/config-drift'
import coreToml from '../wrangler.core.toml?raw'
import edgeToml from '../wrangler.toml?raw'

describe('npm run deploy stops on two worker configs that disagree', () => {
  it('finds nothing to say about the repository’s own files', ({ expect }) => {
    expect(configDrift(edgeToml, coreToml, 'production')).toEqual([])
    expect(configDrift(edgeToml, coreToml)).toEqual([])
  })

  it('names a source added to the edge only, and one configured differently', ({ expect }) => {
    const edge = `${edgeToml}
[env.production.vars.SOURCES.website]
kind = "form"
`
    const core = coreToml.replace(
      '[env.production.vars.SOURCES.slack]\nkind = "slack"',
      '[env.production.vars.SOURCES.slack]\nkind = "slack"\nchannels = { C0OPS = {} }',
    )

    expect(configDrift(edge, core, 'production')).toEqual([
      'source "slack" differs between wrangler.toml and wrangler.core.toml',
      'source "website" is in wrangler.toml only',
    ])
  })
})

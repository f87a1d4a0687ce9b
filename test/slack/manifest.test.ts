/// <reference types="vite/client" />
import { describe, it } from 'vitest'
import { parse } from 'yaml'
import readme from '../../README.md?raw'
import manifest from '../../examples/slack/manifest.json'

/** The YAML block of the README's "Two-way: Slack app" section. */
function readmeManifest(): unknown {
  const start = readme.indexOf('\n### Two-way: Slack app\n')
  const block = /```yaml\n([\s\S]*?)```/.exec(readme.slice(start))
  if (start < 0 || !block?.[1]) throw new Error('README has no Slack app manifest')
  return parse(block[1])
}

describe('the Slack app manifest', () => {
  it('is the same in the README (YAML) and in examples/slack/manifest.json', ({ expect }) => {
    expect(readmeManifest()).toEqual(manifest)
  })

  it('asks for the scopes of every Web API method the bridge calls', ({ expect }) => {
    const scopes = manifest.oauth_config.scopes.bot

    // users.info (+ email), chat.postMessage (+ as the agent), reactions.add/remove,
    // conversations.replies in public and private channels.
    expect(scopes).toEqual(
      expect.arrayContaining([
        'users:read',
        'users:read.email',
        'chat:write',
        'chat:write.customize',
        'reactions:write',
        'channels:history',
        'groups:history',
      ]),
    )
  })
})

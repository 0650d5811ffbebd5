import t from 'tap'
import { readFile } from 'node:fs/promises'
import { parseEnv } from 'node:util'
import { ConfigError, loadConfig, settings } from '../../lib/config.ts'

t.test('defaults make a working development setup', async t => {
  const config = loadConfig({})
  t.equal(config.PORT, 3100)
  t.equal(config.HOSTNAME, '127.0.0.1')
  t.equal(config.DATA_DIR, '.data')
  t.equal(config.DATABASE_URL, '')
  t.equal(config.REDIS_URL, '')
  t.equal(config.NODE_ENV, 'development')
})

t.test('a bad value names the variable', async t => {
  const cases: [Record<string, string>, string][] = [
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://localhost' }, 'REDIS_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ LOGTO_DOMAIN: 'ftp://auth' }, 'LOGTO_DOMAIN'],
    [{ HOSTNAME: 'a b' }, 'HOSTNAME']
  ]
  for (const [env, variable] of cases) {
    let caught: unknown
    try {
      loadConfig(env)
    } catch (error) {
      caught = error
    }
    t.ok(caught instanceof ConfigError, `${JSON.stringify(env)} is refused`)
    t.equal((caught as ConfigError).variable, variable)
    t.match((caught as ConfigError).message, new RegExp(`^${variable}: `), `the message names ${variable}`)
  }
})

t.test('.env.example documents every setting with its default', async t => {
  const text = await readFile(new URL('../../.env.example', import.meta.url), 'utf8')
  // Settings are written commented out, so copying the file changes nothing.
  const documented = parseEnv(text.replace(/^# ?([A-Z][A-Z0-9_]*=)/gm, '$1'))
  for (const [name, setting] of Object.entries(settings)) {
    t.equal(documented[name], setting.default, `${name} is documented with its default`)
  }
  t.same(Object.keys(documented).sort(), Object.keys(settings).sort(), 'and nothing else')
})

// `npm run token -- [--scopes "read:question challenge"] [--sub someone] [--name "Ada L."] [--url http://host:port]`
// asks the running system's dev issuer (POST /dev/token) for an access token
// and prints it alone on stdout, so `TOKEN=$(npm run -s token)` works.
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../lib/config.ts'
import { applyDotEnv } from '../launcher/dotenv.ts'

// (lib/system.ts has this too, but importing it loads the whole runtime)
const repositoryRoot = fileURLToPath(new URL('..', import.meta.url))

const say = (line: string) => process.stderr.write(`[token] ${line}\n`)

const usage = 'usage: npm run token -- [--scopes "read:question challenge"] [--sub someone] [--name "Ada L."] [--url http://127.0.0.1:3100]\n' +
  '  --scopes  space-separated scopes (default: every scope; "" for none)\n' +
  '  --sub     user id of the token (default: dev-student)\n' +
  '  --name    display name in the token (shown on the leaderboard; default: none)\n' +
  '  --url     address of the running system (default: http://HOSTNAME:PORT from the settings)'

function baseUrl (explicit: string | undefined): string {
  if (explicit) return explicit.replace(/\/+$/, '')
  applyDotEnv(repositoryRoot)
  const config = loadConfig(process.env)
  // a wildcard listen address is reached on loopback
  const host = ['0.0.0.0', '::', '[::]'].includes(config.HOSTNAME) ? '127.0.0.1' : config.HOSTNAME
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${config.PORT}`
}

async function main (): Promise<number> {
  const { values } = parseArgs({
    options: {
      scopes: { type: 'string' },
      sub: { type: 'string' },
      name: { type: 'string' },
      url: { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    },
    strict: true
  })
  if (values.help) {
    process.stdout.write(`${usage}\n`)
    return 0
  }

  const url = `${baseUrl(values.url)}/dev/token`
  const body: { scopes?: string[], sub?: string, name?: string } = {}
  if (values.scopes !== undefined) body.scopes = values.scopes.split(/[\s,]+/).filter(scope => scope !== '')
  if (values.sub !== undefined) body.sub = values.sub
  if (values.name !== undefined) body.name = values.name

  let response: Response
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000)
    })
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error instanceof Error ? error.message : String(error))
    say(`cannot reach the system at ${url} (${cause}). Is it running? Start it with \`npm start\`, or pass --url.`)
    return 1
  }

  const text = await response.text()
  if (response.status === 404) {
    say(`${url} does not exist: the system runs in Logto mode (LOGTO_DOMAIN is set) or in production, where the dev issuer is off. ` +
      'Get an access token from Logto instead.')
    return 1
  }
  let answer: { access_token?: string, scope?: string, expires_in?: number, message?: string } = {}
  try {
    answer = JSON.parse(text) as typeof answer
  } catch {
    // reported below
  }
  if (!response.ok || typeof answer.access_token !== 'string') {
    say(`the dev issuer refused (${response.status}): ${answer.message ?? text.slice(0, 200)}`)
    return 1
  }
  say(`token for ${values.sub ?? 'dev-student'} with scopes "${answer.scope ?? ''}", valid for ${answer.expires_in ?? '?'} s`)
  process.stdout.write(`${answer.access_token}\n`)
  return 0
}

main().then(code => { process.exitCode = code }, error => {
  if (error instanceof ConfigError) say(`configuration error: ${error.message}`)
  else if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) say(`${(error as Error).message}\n${usage}`)
  else say(`failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
})

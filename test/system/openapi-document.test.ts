// The public OpenAPI document is served twice: JSON at /openapi.json and YAML
// at /openapi/openapi.yaml (the original gateway's address), both public.
import t from 'tap'
import { parse } from 'yaml'
import { startTestSystem } from '../helpers/system.ts'

type Paths = Record<string, Record<string, unknown>>

t.test('the OpenAPI document as YAML', async t => {
  const system = await startTestSystem(t)

  const jsonResponse = await fetch(`${system.url}/openapi.json`)
  t.equal(jsonResponse.status, 200)
  t.match(jsonResponse.headers.get('content-type'), /^application\/json/)
  const fromJson = await jsonResponse.json() as { openapi: string, paths: Paths }

  const yamlResponse = await fetch(`${system.url}/openapi/openapi.yaml`)
  t.equal(yamlResponse.status, 200, 'public: no token needed')
  t.match(yamlResponse.headers.get('content-type'), /^application\/yaml/)
  const text = await yamlResponse.text()
  t.match(text, /^openapi: 3\./, 'YAML text, not JSON')
  t.same(parse(text), fromJson, 'parsed back, it is the same document as /openapi.json')

  t.equal((await fetch(`${system.url}/openapi/openapi.yml`)).status, 404, 'nothing else under /openapi/')
})

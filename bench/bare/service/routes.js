// One trivial route: the bare floor of a service application.
export default async function routes (app) {
  app.get('/hello', { schema: { response: { 200: { type: 'object', properties: { hello: { type: 'string' } } } } } }, async () => ({ hello: 'world' }))
}

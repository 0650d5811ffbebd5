// oidc-provider's storage for the test provider: in memory, one store per
// provider, kept across its key rotations (sessions, grants and refresh
// tokens survive them, as they do in Logto).
import type { Adapter, AdapterPayload } from 'oidc-provider'

export function memoryAdapter (): (name: string) => Adapter {
  const store = new Map<string, { payload: AdapterPayload, expiresAt: number }>()
  const live = (key: string) => {
    const entry = store.get(key)
    if (entry && entry.expiresAt < Date.now()) store.delete(key)
    return store.get(key)?.payload
  }
  return (name: string) => ({
    async upsert (id, payload, expiresIn) {
      store.set(`${name}:${id}`, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity })
    },
    async find (id) { return live(`${name}:${id}`) },
    async findByUserCode () { return undefined },
    async findByUid (uid) {
      for (const [key, entry] of store) if (key.startsWith(`${name}:`) && entry.payload.uid === uid) return live(key)
      return undefined
    },
    async consume (id) {
      const entry = store.get(`${name}:${id}`)
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000)
    },
    async destroy (id) { store.delete(`${name}:${id}`) },
    async revokeByGrantId (grantId) {
      for (const [key, entry] of store) if (entry.payload.grantId === grantId) store.delete(key)
    }
  })
}

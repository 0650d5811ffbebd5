// The launcher tells the applications inside the runtime (worker threads of
// the same process) that it is about to stop, so readiness can turn 503 while
// requests still finish and other instances take the new ones.
export const lifecycleChannel = 'database-playground:lifecycle'

export type LifecycleMessage = 'draining'

export function announceDraining (): void {
  const channel = new BroadcastChannel(lifecycleChannel)
  channel.postMessage('draining' satisfies LifecycleMessage)
  channel.close()
}

/** Calls `onDraining` when the launcher announces it is stopping; returns a function that stops listening. */
export function onDraining (onDraining: () => void): () => void {
  const channel = new BroadcastChannel(lifecycleChannel)
  channel.onmessage = event => { if ((event as MessageEvent).data === 'draining') onDraining() }
  // Listening must not keep the thread alive.
  ;(channel as unknown as { unref?: () => void }).unref?.()
  return () => channel.close()
}

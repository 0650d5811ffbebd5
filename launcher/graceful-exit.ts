// How the launchers stop: the first SIGINT/SIGTERM stops what they started,
// in order, within a time limit; a second one, or the limit, forces the exit.
export interface GracefulExit {
  // Stops everything and exits the process with `code` (1 if stopping failed).
  shutdown: (why: string, code?: number) => Promise<void>
  readonly stopping: boolean
}

export function exitGracefully (options: {
  say: (line: string) => void
  stop: () => Promise<void>
  /** the time limit, or a function of the moment the signal comes */
  graceMs: number | (() => number)
  onForce?: () => void
}): GracefulExit {
  let stopping = false
  const force = (message: string) => {
    options.say(message)
    options.onForce?.()
    process.exit(1)
  }

  async function shutdown (why: string, code = 0) {
    if (stopping) {
      if (why === 'SIGINT' || why === 'SIGTERM') force(`${why} again: forcing exit`)
      return
    }
    stopping = true
    options.say(`${why}: stopping`)
    setTimeout(() => force('shutdown took too long; forcing exit'), typeof options.graceMs === 'function' ? options.graceMs() : options.graceMs).unref()
    try {
      await options.stop()
    } catch (error) {
      options.say(`did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`)
      code = code || 1
    }
    options.say('stopped')
    process.exit(code)
  }

  process.on('SIGINT', () => { shutdown('SIGINT') })
  process.on('SIGTERM', () => { shutdown('SIGTERM') })
  return { shutdown, get stopping () { return stopping } }
}

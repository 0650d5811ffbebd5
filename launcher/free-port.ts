import { createServer } from 'node:net'

// Asks the kernel for a free loopback port, so embedded servers never collide
// with each other or with a second checkout running on the same machine.
export function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

import { readFileSync } from 'node:fs'
// self time per function in the busiest 6 s window
for (const file of process.argv.slice(2)) {
  const p = JSON.parse(readFileSync(file, 'utf8'))
  const byId = new Map<number, any>(p.nodes.map((n: any) => [n.id, n]))
  let t = p.startTime
  const times: number[] = p.timeDeltas.map((d: number) => (t += d))
  const perSec = new Map<number, [number, number]>()
  p.samples.forEach((id: number, i: number) => {
    const sec = Math.floor((times[i]! - p.startTime) / 1e6)
    const e = perSec.get(sec) ?? [0, 0]
    const name = byId.get(id).callFrame.functionName
    if (name !== '(idle)') e[0]++
    e[1]++
    perSec.set(sec, e)
  })
  console.log(`\n== ${file.split('/').pop()}`)
  console.log([...perSec].map(([s, [b, a]]) => `${s}:${Math.round(100 * b / a)}%`).join(' '))
  const from = Number(process.env.FROM ?? 0), to = Number(process.env.TO ?? 1e9)
  const self = new Map<string, number>(); let total = 0
  p.samples.forEach((id: number, i: number) => {
    const sec = (times[i]! - p.startTime) / 1e6
    if (sec < from || sec > to) return
    const cf = byId.get(id).callFrame
    const key = `${cf.functionName || '(anon)'} ${cf.url.replace(/.*node_modules\//, '').replace('file:///work/main/', '')}:${cf.lineNumber}`
    self.set(key, (self.get(key) ?? 0) + 1); total++
  })
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(100 * v / total).toFixed(1).padStart(5)}% ${k}`)
}

import { readFileSync } from 'node:fs'
for (const file of process.argv.slice(2)) {
  const p = JSON.parse(readFileSync(file, 'utf8'))
  const self = new Map<string, number>()
  const byId = new Map<number, any>(p.nodes.map((n: any) => [n.id, n]))
  const counts = new Map<number, number>()
  for (const s of p.samples) counts.set(s, (counts.get(s) ?? 0) + 1)
  let total = 0
  for (const [id, c] of counts) {
    const n = byId.get(id); const cf = n.callFrame
    const key = `${cf.functionName || '(anon)'} ${cf.url.replace(/.*node_modules\//, '').replace('file:///work/main/', '')}:${cf.lineNumber}`
    self.set(key, (self.get(key) ?? 0) + c); total += c
  }
  const dt = (p.endTime - p.startTime) / 1e6
  const idle = [...self].filter(([k]) => k.startsWith('(idle)')).reduce((a, [, v]) => a + v, 0)
  console.log(`\n== ${file.split('/').pop()} duration ${dt.toFixed(1)}s busy ${(100 * (1 - idle / total)).toFixed(0)}%`)
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`${(100 * v / total).toFixed(1).padStart(5)}% ${k}`)
}

// Reads the runtime's Prometheus endpoint: samples of the text format, and
// sums of a metric's series that match some labels.

export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

export function parsePrometheusText (text: string): Sample[] {
  const samples: Sample[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const match = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/)
    if (!match) continue
    const labels: Record<string, string> = {}
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value
    samples.push({ name: match[1], labels, value: Number(match[3]) })
  }
  return samples
}

export interface Metrics {
  samples: Sample[]
  /** the sum of the series of `name` whose labels include `labels` (0 when there is none) */
  sum: (name: string, labels?: Record<string, string>) => number
  has: (name: string) => boolean
}

export async function readMetrics (url: string): Promise<Metrics> {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`${url}: ${response.status}`)
  const samples = parsePrometheusText(await response.text())
  return {
    samples,
    sum: (name, labels = {}) => samples
      .filter(sample => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
      .reduce((total, sample) => total + sample.value, 0),
    has: name => samples.some(sample => sample.name === name || sample.name.startsWith(`${name}_`))
  }
}

// A small OpenTelemetry collector for tests: takes OTLP/HTTP trace exports
// (protobuf, what Platformatic's `otlp` exporter sends) on /v1/traces and
// keeps the spans. The messages below are the part of the OTLP trace
// protocol that tests read; protobuf skips the fields not declared.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import protobuf from 'protobufjs'

const otlpTrace = `
syntax = "proto3";
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message Resource { repeated KeyValue attributes = 1; }
message ScopeSpans { Scope scope = 1; repeated Span spans = 2; }
message Scope { string name = 1; string version = 2; }
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  bytes parent_span_id = 4;
  string name = 5;
  int32 kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  Status status = 15;
}
message Status { string message = 2; int32 code = 3; }
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
`

const ExportTraceServiceRequest = protobuf.parse(otlpTrace, { keepCase: false }).root.lookupType('ExportTraceServiceRequest')

type Value = string | number | boolean | Value[]

export interface ReceivedSpan {
  traceId: string
  spanId: string
  parentSpanId: string
  name: string
  /** 1 internal, 2 server, 3 client */
  kind: number
  /** service.name of the resource, e.g. playground-gateway */
  service: string
  scope: string
  attributes: Record<string, Value>
  statusCode: number
  durationMs: number
}

interface DecodedValue { stringValue?: string, boolValue?: boolean, intValue?: number | { toNumber: () => number }, doubleValue?: number, arrayValue?: { values?: DecodedValue[] }, bytesValue?: Uint8Array }
interface DecodedKeyValue { key: string, value?: DecodedValue }

function valueOf (value: DecodedValue | undefined): Value {
  if (value === undefined) return ''
  if (value.stringValue !== undefined) return value.stringValue
  if (value.boolValue !== undefined) return value.boolValue
  if (value.intValue !== undefined) return typeof value.intValue === 'number' ? value.intValue : value.intValue.toNumber()
  if (value.doubleValue !== undefined) return value.doubleValue
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(valueOf)
  if (value.bytesValue !== undefined) return Buffer.from(value.bytesValue).toString('hex')
  return ''
}

const attributesOf = (list: DecodedKeyValue[] | undefined) => Object.fromEntries((list ?? []).map(({ key, value }) => [key, valueOf(value)]))
const hex = (bytes: Uint8Array | undefined) => bytes === undefined ? '' : Buffer.from(bytes).toString('hex')
const nanos = (value: number | { toNumber: () => number } | undefined) => value === undefined ? 0 : typeof value === 'number' ? value : value.toNumber()

export function decodeTraceExport (body: Uint8Array): ReceivedSpan[] {
  const request = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(body), { defaults: false }) as {
    resourceSpans?: { resource?: { attributes?: DecodedKeyValue[] }, scopeSpans?: { scope?: { name?: string }, spans?: Record<string, any>[] }[] }[]
  }
  const spans: ReceivedSpan[] = []
  for (const resourceSpans of request.resourceSpans ?? []) {
    const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name'] ?? '')
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        spans.push({
          traceId: hex(span.traceId),
          spanId: hex(span.spanId),
          parentSpanId: hex(span.parentSpanId),
          name: String(span.name ?? ''),
          kind: Number(span.kind ?? 0),
          service,
          scope: scopeSpans.scope?.name ?? '',
          attributes: attributesOf(span.attributes),
          statusCode: Number(span.status?.code ?? 0),
          durationMs: (nanos(span.endTimeUnixNano) - nanos(span.startTimeUnixNano)) / 1e6
        })
      }
    }
  }
  return spans
}

export interface OtlpReceiver {
  /** base URL, as OTEL_EXPORTER_OTLP_ENDPOINT */
  url: string
  spans: ReceivedSpan[]
  /** content types of the exports received */
  contentTypes: Set<string>
  /** resolves once `found` holds on the spans received, or rejects after `timeoutMs` */
  waitFor: (found: (spans: ReceivedSpan[]) => boolean, timeoutMs?: number) => Promise<ReceivedSpan[]>
  close: () => Promise<void>
}

export async function startOtlpReceiver (): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = []
  const contentTypes = new Set<string>()
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', chunk => chunks.push(chunk))
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end()
        return
      }
      contentTypes.add(String(request.headers['content-type']))
      try {
        spans.push(...decodeTraceExport(Buffer.concat(chunks)))
      } catch {
        response.writeHead(400).end()
        return
      }
      // An empty ExportTraceServiceResponse: everything accepted.
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end()
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    contentTypes,
    async waitFor (found, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs
      while (!found(spans)) {
        if (Date.now() > deadline) throw new Error(`the spans expected did not arrive within ${timeoutMs} ms; received: ${spans.map(span => `${span.service} ${span.name}`).join(', ')}`)
        await new Promise(resolve => setTimeout(resolve, 100))
      }
      return spans
    },
    close: () => new Promise(resolve => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  }
}

// Tracing in a service, when Platformatic's telemetry is on
// (app.openTelemetry). Platformatic 3.54 traces each request in a span of
// its own, but keeps it out of OpenTelemetry's context, always samples, and
// leaves calls made with fetch untraced. This plugin:
// - samples as OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG say;
// - makes the request's span the active one while the request is handled,
//   so spans made here are its children and log lines carry its ids;
// - with `sendTraceContext`, lets the runtime's mesh carry the trace context
//   (and the question, lib/tracing.ts): it sends them with each call this
//   service makes (the questions service's calls to the runner), and reads
//   them from each call it receives before the framework logs its arrival.
//   Not in the gateway, whose proxy sends its own;
// - keeps error messages (which may quote SQL) out of spans;
// - writes trace_id and span_id in every log line written while a span is
//   active. (Platformatic adds them only when logs are also exported over
//   OTLP, logger.openTelemetryExporter; here logs stay JSON on stdout.)
import { context, defaultTextMapGetter, isSpanContextValid, propagation, trace, type Span, type Tracer } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { CompositePropagator, W3CTraceContextPropagator } from '@opentelemetry/core'
import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace-base'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from './config.ts'
import { questionPropagator, useTracer } from './tracing.ts'

interface PlatformaticTelemetry {
  tracer: Tracer
  provider: { getTracer: (name: string) => Tracer }
}

export function samplerFor (config: Pick<Config, 'OTEL_TRACES_SAMPLER' | 'OTEL_TRACES_SAMPLER_ARG'>): Sampler {
  const ratio = new TraceIdRatioBasedSampler(config.OTEL_TRACES_SAMPLER_ARG)
  switch (config.OTEL_TRACES_SAMPLER) {
    case 'traceidratio': return ratio
    case 'always_on': return new AlwaysOnSampler()
    case 'always_off': return new AlwaysOffSampler()
    case 'parentbased_always_on': return new ParentBasedSampler({ root: new AlwaysOnSampler() })
    case 'parentbased_always_off': return new ParentBasedSampler({ root: new AlwaysOffSampler() })
    default: return new ParentBasedSampler({ root: ratio })
  }
}

// Platformatic's tracer provider takes no sampler (it always samples); its
// tracers read theirs from this field at each span.
function sampleWith (tracer: Tracer, sampler: Sampler): Tracer {
  (tracer as unknown as { _sampler: Sampler })._sampler = sampler
  return tracer
}

function traceIds (): { trace_id: string, span_id: string } | undefined {
  const span = trace.getSpan(context.active())?.spanContext()
  return span && isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : undefined
}

type Mixin = (object: object, level: number, logger: object) => object

// pino reads its mixin from the logger at each write, and child loggers
// (one per request) inherit it: set on the service's logger it covers every
// line. pino has no way to add one after creation, so its own symbol is
// looked up on the logger.
function addTraceIdsToLogs (app: FastifyInstance): void {
  const logger = app.log as unknown as Record<symbol, Mixin | undefined>
  let symbol: symbol | undefined
  for (let level: object | null = logger; level !== null && symbol === undefined; level = Object.getPrototypeOf(level)) {
    symbol = Object.getOwnPropertySymbols(level).find(candidate => candidate.description === 'pino.mixin')
  }
  if (symbol === undefined) {
    app.log.warn('log lines will not carry trace ids: this version of pino keeps its mixin elsewhere')
    return
  }
  const previous = logger[symbol]
  logger[symbol] = (object, level, log) => {
    const base = previous ? previous(object, level, log) : {}
    const ids = traceIds()
    return ids ? { ...base, ...ids } : base
  }
}

async function tracing (app: FastifyInstance, options: { sendTraceContext?: boolean }) {
  const telemetry = (app as unknown as { openTelemetry?: PlatformaticTelemetry }).openTelemetry
  if (telemetry === undefined) {
    useTracer(undefined)
    return
  }
  const sampler = samplerFor(app.settings)
  sampleWith(telemetry.tracer, sampler)
  useTracer(sampleWith(telemetry.provider.getTracer('playground'), sampler))

  // One per thread; a second service in the same thread finds it there.
  const contextManager = new AsyncLocalStorageContextManager().enable()
  if (!context.setGlobalContextManager(contextManager)) contextManager.disable()
  if (options.sendTraceContext) {
    propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), questionPropagator] }))
  }

  // After Platformatic's own onRequest hook, which starts the span.
  app.addHook('onRequest', (request, _reply, done) => {
    const span = (request as FastifyRequest & { span?: Span }).span
    if (span === undefined) return done()
    const active = questionPropagator.extract(trace.setSpan(context.active(), span), request.headers, defaultTextMapGetter)
    context.with(active, done)
  })
  // Platformatic puts an error's message and stack on the request's span;
  // an engine's message quotes SQL (a student's, or a reference answer's),
  // so spans keep only the error's name and the status code.
  app.addHook('onError', async request => {
    (request as FastifyRequest & { span?: Span }).span?.setAttributes({ 'error.message': '[redacted]', 'error.stack': '[redacted]' })
  })
  addTraceIdsToLogs(app)
}

/** For the gateway: its proxy sends the trace context itself. */
export default fp(async (app: FastifyInstance) => tracing(app, {}), { name: 'tracing', dependencies: ['settings'] })

/** For the services reached over the mesh (questions, dbrunner). */
export const tracingWithTraceContext = fp(async (app: FastifyInstance) => tracing(app, { sendTraceContext: true }), { name: 'tracing', dependencies: ['settings'] })

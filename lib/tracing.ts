// Spans of the domain. With tracing on (platformatic.runtime.json
// `telemetry`), Platformatic gives each service a tracer with the OTLP
// exporter, a server span per request, a client span per call the gateway
// proxies, and W3C trace context across them. lib/tracing-plugin.ts hands
// that tracer to this module; here are the spans it does not know: the
// calls from the questions service to the runner (with the question they
// are about) and the runner's SQL runs. With tracing off every function
// here does nothing. Never put SQL text, engine messages or tokens in an
// attribute.
import { context, createContextKey, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type TextMapPropagator, type Tracer } from '@opentelemetry/api'

let tracer: Tracer | undefined

/** Set by the tracing plugin: the service's tracer, or undefined with tracing off. */
export function useTracer (serviceTracer: Tracer | undefined): void {
  tracer = serviceTracer
}

const questionKey = createContextKey('playground.question.id')

/**
 * The question a request is about travels from the questions service to the
 * runner in this header, beside `traceparent`. The gateway drops every
 * client-sent header with this prefix, so only the services set it.
 */
export const questionHeader = 'x-playground-question'

export const questionPropagator: TextMapPropagator = {
  inject (ctx, carrier, setter) {
    const id = ctx.getValue(questionKey)
    if (typeof id === 'string') setter.set(carrier, questionHeader, id)
  },
  extract (ctx, carrier, getter) {
    const raw = getter.get(carrier, questionHeader)
    const id = Array.isArray(raw) ? raw[0] : raw
    return typeof id === 'string' && /^[\w-]{1,64}$/.test(id) ? ctx.setValue(questionKey, id) : ctx
  },
  fields: () => [questionHeader]
}

/** The question of the current request, when its caller said (withQuestion). */
export function currentQuestion (): string | undefined {
  const id = context.active().getValue(questionKey)
  return typeof id === 'string' ? id : undefined
}

/**
 * Runs `work` in a span of its own, a child of the active one, ended when
 * it settles; an error sets the span's status, never its message. `work`
 * gets the span to add attributes to, or undefined with tracing off.
 */
export async function inSpan<T> (name: string, attributes: Attributes, work: (span: Span | undefined) => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  if (tracer === undefined) return work(undefined)
  return tracer.startActiveSpan(name, { attributes, kind }, async span => {
    try {
      return await work(span)
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR })
      throw error
    } finally {
      span.end()
    }
  })
}

/**
 * A call to the runner about a question: marks the request's span with the
 * question, and makes the call in a client span whose context (and the
 * question) the runtime's mesh carries to the runner.
 */
export function withQuestion<T> (questionId: string, operation: string, work: () => Promise<T>): Promise<T> {
  if (tracer === undefined) return work()
  trace.getActiveSpan()?.setAttribute('question.id', questionId)
  return context.with(context.active().setValue(questionKey, questionId), () =>
    inSpan(`runner ${operation}`, { 'question.id': questionId }, () => work(), SpanKind.CLIENT))
}

// Trace ids in log lines, sampling, the request's span as the active one, and the
// trace context carried over the runtime's mesh, when tracing is on.
export { tracingWithTraceContext as default } from '../../../lib/tracing-plugin.ts'

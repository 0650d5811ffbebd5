// Trace ids in log lines, sampling, and the request's span as the active one, when tracing is on.
export { default } from '../../../lib/tracing-plugin.ts'

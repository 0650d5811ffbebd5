// JSON bodies are validated without type coercion.
export { default } from '../../../lib/strict-bodies.ts'

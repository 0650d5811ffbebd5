// The one settings table, read once for this service.
export { default } from '../../../lib/settings-plugin.ts'

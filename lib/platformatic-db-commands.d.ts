// Platformatic DB's type generator, which the package does not re-export.
declare module '@platformatic/db/lib/commands/types.js' {
  export function generateTypes (logger: unknown, configFile: string, args: string[]): Promise<void>
}

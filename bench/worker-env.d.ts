/**
 * Node-side code (bench, e2e) imports src/ modules that name the worker's `Env` only in types.
 * The real `Env` comes from src/env.d.ts, generated for workerd and not loadable beside Node's
 * types; here it is an opaque record.
 */
interface Env extends Record<string, unknown> {}

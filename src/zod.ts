/**
 * zod's functional build (`zod/mini`) with its English messages, for every schema in the worker.
 *
 * `zod/mini` tree-shakes to the checks the schemas use (the classic build carries every method
 * and its JSON Schema converter); the English locale keeps the issue messages senders read in a
 * 400 answer the same as the classic build's (e.g. "Too big: expected string to have <=200
 * characters"). Import `* as z from './zod'` instead of `'zod'` so the locale is always set.
 */
import * as z from 'zod/mini'
import en from 'zod/v4/locales/en.js'

z.config(en())

export * from 'zod/mini'

/**
 * `z.catch(schema, undefined)`: the value when it matches `schema`, else `undefined`. Built on
 * `ZodMiniCatch` directly because zod/mini's `catch` reaches its constant through
 * `core.util`, a namespace the bundler cannot trim, which keeps all of zod's utilities
 * (about 10 KB minified) in the deploy bundle.
 */
export function catchUndefined<T extends z.ZodMiniType>(schema: T) {
  const def = { type: 'catch' as const, innerType: schema, catchValue: () => undefined }
  return new z.ZodMiniCatch(def) as z.ZodMiniCatch<T>
}

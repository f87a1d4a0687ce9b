import { z } from 'zod'

export const FaultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('code'), code: z.number().int(), message: z.string().optional() }),
  z.object({
    kind: z.literal('http'),
    status: z.union([
      z.literal(429),
      z.literal(500),
      z.literal(502),
      z.literal(503),
      z.literal(504),
    ]),
    retryAfter: z.number().int().nonnegative().optional(),
  }),
  z.object({ kind: z.literal('latency'), ms: z.number().int().nonnegative().max(600_000) }),
  z.object({
    kind: z.literal('commit_then_timeout'),
    ms: z.number().int().nonnegative().max(600_000).default(30_000),
  }),
  z.object({ kind: z.literal('network') }),
])
export type Fault = z.infer<typeof FaultSchema>

export const FaultRuleInputSchema = z.object({
  method: z.string().toUpperCase().optional(),
  /** API path after `/open_api_v1`; `:name` segments match any one segment. */
  path: z.string().startsWith('/').optional(),
  /** Substring that must occur in the raw body or the query string. */
  match: z.string().min(1).optional(),
  times: z.number().int().positive().optional(),
  probability: z.number().min(0).max(1).optional(),
  fault: FaultSchema,
})
export type FaultRuleInput = z.infer<typeof FaultRuleInputSchema>

export interface FaultRule extends FaultRuleInput {
  id: string
  /** Calls left before the rule is used up; Infinity for a probability rule without times. */
  remaining: number
  hits: number
}

export function createFaultRule(input: FaultRuleInput): FaultRule {
  const unlimited = input.probability !== undefined && input.times === undefined
  return {
    ...input,
    id: crypto.randomUUID(),
    remaining: unlimited ? Infinity : (input.times ?? 1),
    hits: 0,
  }
}

export interface CallSubject {
  method: string
  path: string
  rawQuery: string
  bodyText: string
}

function pathMatches(pattern: string, path: string): boolean {
  const want = pattern.split('/')
  const got = path.split('/')
  return want.length === got.length && want.every((seg, i) => seg.startsWith(':') || seg === got[i])
}

function ruleMatches(rule: FaultRule, call: CallSubject): boolean {
  if (rule.method !== undefined && rule.method !== call.method) return false
  if (rule.path !== undefined && !pathMatches(rule.path, call.path)) return false
  if (rule.match === undefined) return true
  const query = safeDecode(call.rawQuery)
  return [call.bodyText, call.rawQuery, query].some((text) => text.includes(rule.match!))
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}

/**
 * The first rule that matches this call and fires (by its probability) is used once and
 * returned; a rule is dropped when its `times` are used up.
 */
export function takeFault(
  rules: FaultRule[],
  call: CallSubject,
  random = Math.random,
): FaultRule | null {
  for (const rule of rules) {
    if (!ruleMatches(rule, call)) continue
    if (rule.probability !== undefined && random() >= rule.probability) continue
    rule.hits += 1
    rule.remaining -= 1
    if (rule.remaining <= 0) rules.splice(rules.indexOf(rule), 1)
    return rule
  }
  return null
}

export function describeRule(rule: FaultRule) {
  const { remaining, ...rest } = rule
  return { ...rest, remaining: Number.isFinite(remaining) ? remaining : null }
}

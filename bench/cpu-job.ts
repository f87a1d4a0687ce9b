/** What the bench asks of its CPU worker (bench/workers/cpu.ts) and what it answers. */
export interface CpuJob {
  /** Source name in the bench's `SOURCES` binding. */
  source: string
  headers: [string, string][]
  /** The body, base64 (multipart bodies are bytes). */
  body: string
  /** What the baseline parses: the body itself for JSON senders, the same fields for forms. */
  baselineJson: string
  measureMs: number
  /** Requests in flight at once: 1, or 10 to show the cost per request stays flat. */
  concurrency: number
}

export interface CpuTiming {
  /** µs per `JSON.parse` of the same body (the baseline), and per intake. */
  jsonParseUs: number
  intakeUs: number
  /** What the intake decided (`events`, ...): a refusal would make the figure meaningless. */
  outcome: string
}

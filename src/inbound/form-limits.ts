import { PayloadTooLargeError } from '../errors'

/** How many fields a form may send; checked before any value is collected. */
export interface FormLimits {
  /** Fields (and files) in one submission; the source's `maxFields`, 200 by default. */
  maxFields: number
  /** Values sent under one name (checkboxes); the source's `maxValuesPerName`, 100 by default. */
  maxValuesPerName: number
}

export const DEFAULT_FORM_LIMITS: FormLimits = { maxFields: 200, maxValuesPerName: 100 }

/** 413 when a body has more fields than the form allows. */
export function checkFieldCount(count: number, limits: FormLimits): void {
  if (count > limits.maxFields) {
    throw new PayloadTooLargeError(
      `the form sent ${count} fields; at most ${limits.maxFields} are accepted`,
    )
  }
}

/** 413 when one name repeats more often than the form allows (one pass, a count per name). */
export function checkValuesPerName(names: Iterable<string>, limits: FormLimits): void {
  const counts = new Map<string, number>()
  for (const name of names) {
    const count = (counts.get(name) ?? 0) + 1
    if (count > limits.maxValuesPerName) {
      throw new PayloadTooLargeError(
        `a field name was sent more than ${limits.maxValuesPerName} times`,
      )
    }
    counts.set(name, count)
  }
}

/**
 * Runs tasks one after another. A Durable Object's input gate lets a second call in while the
 * first awaits an outbound `fetch`, so two deliveries of one thread would interleave their Udesk
 * calls without this; chaining them keeps "one event at a time" true across awaits.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve()

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => task())
    this.tail = result.catch(() => undefined)
    return result
  }
}

/**
 * For the DVM black-box tests: the fake OpenAI-compatible back-end, started first, then a relay
 * instance of the test file's own whose DVMs point at it, and nostr-tools customers.
 */
import { afterAll, beforeAll } from 'vitest'
import { Customer, statusOf, type Event } from '../../../dvms/testing/customer'
import { startFakeOpenAi, type FakeOpenAi } from '../../../dvms/testing/fake-openai'
import { startRelay, type Instance } from '../platform'

export { statusOf, type Event }

export function useDvmPlatform(vars: (fake: FakeOpenAi, port: number) => Record<string, string>) {
  let fake: FakeOpenAi | undefined
  let instance: Instance | undefined
  const customers: Customer[] = []
  beforeAll(async () => {
    fake = await startFakeOpenAi()
    instance = await startRelay((port) => vars(fake!, port))
  }, 120_000)
  afterAll(async () => {
    for (const c of customers) c.close()
    await instance?.stop()
    await fake?.stop()
  }, 30_000)
  const started = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the DVM platform is not started')
    return v
  }
  return {
    fake: () => started(fake),
    instance: () => started(instance),
    customer: async () => {
      const c = await Customer.connect(started(instance).url)
      customers.push(c)
      return c
    },
    getJson: async (path: string) => (await fetch(started(instance).httpUrl + path)).json() as Promise<any>,
  }
}

export const tagsNamed = (e: Event, name: string) => e.tags.filter((t) => t[0] === name)
/** Feedback statuses in order, runs of `partial` kept. */
export const statuses = (feedback: Event[]) => feedback.map(statusOf)

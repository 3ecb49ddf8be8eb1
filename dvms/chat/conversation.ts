/**
 * A chat's memory: a request whose `job` inputs name earlier jobs of the same customer continues
 * that conversation. Each earlier request and its result become a user and an assistant message,
 * and the jobs those continued are followed in turn, oldest first.
 */
import type { ChatMessage } from '../backends/types'
import { answerOf, requestOf } from '../earlier-job'
import type { Signer } from '../../sdk/nostr/signer'
import { JobError, type Job, type JobContext } from '../../sdk/dvm/types'

export interface Turn {
  id: string
  prompt: string
  answer: string
}

/** Turns a conversation may reach back. */
export const MAX_TURNS = 50

/**
 * The earlier turns, oldest first: each after the turns it continued (timestamps of quick turns
 * tie, the chain does not). Throws when a job is not the customer's or has no result.
 */
export async function earlierTurns(job: Job, ctx: JobContext, signer: Signer, maxTurns = MAX_TURNS): Promise<Turn[]> {
  const jobInputs = (j: Pick<Job, 'inputs'>) => j.inputs.filter((i) => i.type === 'job').map((i) => i.data)
  const found = new Map<string, Turn & { continues: string[] }>()
  const queue = jobInputs(job)
  while (queue.length > 0 && found.size < maxTurns) {
    const id = queue.shift()!
    if (id === job.id || found.has(id)) continue
    const result = job.chained[id] ?? (await ctx.resolveJobResult(id))
    if (!result) throw new JobError(`job input ${id} has no result yet`)
    const earlier = await requestOf(id, result, signer)
    if (earlier.customer !== job.customer) throw new JobError(`job input ${id} is another customer's: a conversation continues only your own jobs`)
    const prompt = earlier.inputs.filter((i) => i.type === 'text').map((i) => i.data).join('\n\n')
    found.set(id, { id, prompt, answer: await answerOf(id, result, signer), continues: jobInputs(earlier) })
    queue.push(...jobInputs(earlier))
  }
  const ordered: Turn[] = []
  const place = (id: string) => {
    const turn = found.get(id)
    if (!turn) return
    found.delete(id) // placed once
    turn.continues.forEach(place)
    ordered.push({ id: turn.id, prompt: turn.prompt, answer: turn.answer })
  }
  jobInputs(job).forEach(place)
  return ordered
}

/** The messages for the model: each earlier turn, then the new prompt. Pure. */
export function conversationMessages(turns: Turn[], prompt: string): ChatMessage[] {
  return [
    ...turns.flatMap((t): ChatMessage[] => [
      { role: 'user', content: t.prompt },
      { role: 'assistant', content: t.answer },
    ]),
    { role: 'user', content: prompt },
  ]
}

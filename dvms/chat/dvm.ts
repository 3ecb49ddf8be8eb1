/**
 * The chat DVM (kind 5050): answers a prompt, keeping the conversation when the request names
 * the customer's earlier jobs as `job` inputs. Answers stream out as `partial` feedback.
 */
import { checkTextOutput, generateText, textRequest, type TextDvmDeps } from '../generate'
import { checkInputSize, promptOf, readInputs } from '../inputs'
import { describeParams, readParams, textParams } from '../params'
import { conversationMessages, earlierTurns } from './conversation'
import { defineDvm } from '../../sdk/dvm/define'
import type { DvmDefinition } from '../../sdk/dvm/types'

export function chatDvm(deps: TextDvmDeps): DvmDefinition {
  const params = textParams(deps.models, deps.maxTokens)
  return defineDvm({
    kinds: [5050],
    id: 'oanix-chat',
    info: {
      name: 'OANIX chat',
      about: 'Answers prompts (i tags of type text, url or event). Name your earlier jobs as i tags of type job to continue that conversation.',
      params: describeParams(params),
      output: ['text/plain', 'text/markdown'],
    },
    price: deps.price,
    async handle(job, ctx) {
      const p = readParams(job.params, params)
      checkTextOutput(job.output)
      const turns = await earlierTurns(job, ctx, deps.signer)
      const prompt = promptOf(await readInputs(job, ctx, deps, ['job']))
      checkInputSize([prompt, ...turns.flatMap((t) => [t.prompt, t.answer])], deps.limits.maxBytes)
      return generateText(deps.backend, textRequest(p, deps, conversationMessages(turns, prompt)), ctx)
    },
  })
}

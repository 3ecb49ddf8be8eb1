/**
 * The code-generation DVM (kind 5050): a task in, code out. The prompt is wrapped for code in
 * the `language` asked; the result is the code as fenced markdown or as the requested type.
 */
import { generateText, textRequest, type TextDvmDeps } from '../generate'
import { promptOf, readInputs } from '../inputs'
import { describeParams, readParams, textParams } from '../params'
import { checkCodeOutput, codegenMessages, extractCode, LANGUAGE, renderCode } from './prompt'
import { defineDvm } from '../../sdk/dvm/define'
import type { DvmDefinition } from '../../sdk/dvm/types'

export function codegenDvm(deps: TextDvmDeps): DvmDefinition {
  const params = {
    ...textParams(deps.models, deps.maxTokens),
    language: {
      description: 'the programming language, e.g. typescript, python, rust; the model picks one when absent',
      read: (v: string) => (LANGUAGE.test(v) ? v : { error: 'expected a language name such as typescript or c++' }),
    },
  }
  return defineDvm({
    kinds: [5050],
    id: 'oanix-codegen',
    info: {
      name: 'OANIX code generator',
      about: 'Writes code for a task given in plain words (i tags of type text, url, event or job). Answers with the code as text/markdown, or bare as the output type asked.',
      params: describeParams(params),
      output: ['text/markdown', 'text/plain', 'text/*', 'application/*'],
    },
    price: deps.price,
    async handle(job, ctx) {
      const p = readParams(job.params, params)
      checkCodeOutput(job.output)
      const prompt = promptOf(await readInputs(job, ctx, deps))
      const answer = await generateText(deps.backend, textRequest(p, deps, codegenMessages(prompt, p.language)), ctx)
      const { code, language } = extractCode(answer)
      return renderCode(code, p.language ?? language, job.output)
    },
  })
}

/** Code generation: the prompt wrapped for code, the code read back out of the answer, rendered as asked. Pure. */
import type { ChatMessage } from '../backends/types'
import { JobError } from '../../sdk/dvm/types'

export const LANGUAGE = /^[A-Za-z][A-Za-z0-9+#._-]{0,31}$/

export function codegenMessages(task: string, language?: string): ChatMessage[] {
  const target = language ? `${language} code` : 'code'
  return [
    {
      role: 'system',
      content:
        `You are a code generator. Answer with complete, working ${target} in one fenced code block` +
        `${language ? ` marked ${language}` : ''}, and nothing else: no explanation before or after it. ` +
        'Comments in the code may explain what needs explaining.',
    },
    { role: 'user', content: task },
  ]
}

/**
 * The code in a model's answer: the body of its first fenced block (also one cut short by the
 * token limit), or the whole answer when it has no fence.
 */
export function extractCode(answer: string): { code: string; language?: string } {
  const fence = /^[ \t]*(`{3,}|~{3,})[ \t]*([^\s`]*)[^\n]*\n/m.exec(answer)
  if (!fence) return { code: answer.trim() }
  const body = answer.slice(fence.index + fence[0].length)
  const close = new RegExp(`^[ \\t]*${fence[1][0]}{${fence[1].length},}[ \\t]*$`, 'm').exec(body)
  const code = (close ? body.slice(0, close.index) : body).replace(/\n$/, '')
  return fence[2] ? { code, language: fence[2] } : { code }
}

/** Output types for code: markdown (fenced, the default), or the bare code as any text or code type. */
const CODE_OUTPUT = /^(text|application)\/[\w.+-]+$/

export function checkCodeOutput(output: string | undefined) {
  if (output !== undefined && !CODE_OUTPUT.test(output)) {
    throw new JobError(`output ${output} is not offered: code comes as text/markdown (the default), text/plain or another text/* or application/* code type`)
  }
}

/** The result's content: a fenced block for markdown, the bare code for any other type. */
export function renderCode(code: string, language: string | undefined, output: string | undefined): string {
  if (output !== undefined && output !== 'text/markdown') return code
  const longest = Math.max(2, ...(code.match(/`{3,}/g) ?? []).map((f) => f.length))
  const fence = '`'.repeat(longest + 1)
  return `${fence}${language ?? ''}\n${code}\n${fence}`
}

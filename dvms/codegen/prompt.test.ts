import { describe, expect, it } from 'vitest'
import { checkCodeOutput, codegenMessages, extractCode, renderCode } from './prompt'

describe('codegenMessages', () => {
  it('asks for code only, in the language given', () => {
    const [system, user] = codegenMessages('reverse a string', 'rust')
    expect(system.role).toBe('system')
    expect(system.content).toContain('complete, working rust code in one fenced code block marked rust')
    expect(user).toEqual({ role: 'user', content: 'reverse a string' })
    expect(codegenMessages('x')[0].content).toContain('working code in one fenced code block,')
  })
})

describe('extractCode', () => {
  it('takes the first fenced block and its language', () => {
    expect(extractCode('Here you go:\n```python\nprint(1)\nprint(2)\n```\nEnjoy! ```js\nno\n```')).toEqual({ code: 'print(1)\nprint(2)', language: 'python' })
  })

  it('keeps a block cut short by the token limit, and tilde or longer fences', () => {
    expect(extractCode('```ts\nconst a = 1\nconst b')).toEqual({ code: 'const a = 1\nconst b', language: 'ts' })
    expect(extractCode('~~~\nx\n~~~')).toEqual({ code: 'x' })
    expect(extractCode('````md\n```js\ninner\n```\n````')).toEqual({ code: '```js\ninner\n```', language: 'md' })
  })

  it('takes the whole answer when there is no fence', () => {
    expect(extractCode('  fn main() {}\n')).toEqual({ code: 'fn main() {}' })
  })
})

describe('renderCode', () => {
  it('fences markdown (the default), longer than any fence inside', () => {
    expect(renderCode('x = 1', 'python', undefined)).toBe('```python\nx = 1\n```')
    expect(renderCode('x = 1', undefined, 'text/markdown')).toBe('```\nx = 1\n```')
    expect(renderCode('a\n```\nb', 'md', 'text/markdown')).toBe('````md\na\n```\nb\n````')
  })

  it('gives the bare code for any other type', () => {
    expect(renderCode('x = 1', 'python', 'text/x-python')).toBe('x = 1')
    expect(renderCode('{}', 'json', 'application/json')).toBe('{}')
  })
})

describe('checkCodeOutput', () => {
  it('accepts text and code types, refuses others', () => {
    for (const ok of [undefined, 'text/markdown', 'text/plain', 'text/x-rust', 'application/javascript']) expect(() => checkCodeOutput(ok)).not.toThrow()
    expect(() => checkCodeOutput('image/png')).toThrow('output image/png is not offered')
  })
})

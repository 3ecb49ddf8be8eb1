import { describe, expect, it } from 'vitest'
import { tokenize, type Token } from './highlight'

const kinds = (tokens: Token[], type: string) => tokens.filter((t) => t.type === type).map((t) => t.text.trim())

describe('tokenize', () => {
  const js = `// greet\nconst s = "hi \\"you\\"" + 'x'; if (n > 0x1F) return null /* done */`

  it('loses nothing: the tokens put together are the code', () => {
    for (const code of [js, 'def f(x):\n  # c\n  return None', '"unterminated', '', '€ ünïcode → ok']) {
      expect(tokenize(code).map((t) => t.text).join('')).toBe(code)
    }
  })

  it('finds comments, strings, numbers, keywords and literals', () => {
    const t = tokenize(js, 'js')
    expect(kinds(t, 'comment')).toEqual(['// greet', '/* done */'])
    expect(kinds(t, 'string')).toEqual([`"hi \\"you\\""`, `'x'`])
    expect(kinds(t, 'number')).toEqual(['0x1F'])
    expect(kinds(t, 'keyword')).toEqual(['const', 'if', 'return'])
    expect(kinds(t, 'literal')).toEqual(['null'])
  })

  it('reads # as a comment only in languages that use it', () => {
    expect(kinds(tokenize('x = 1 # one', 'python'), 'comment')).toEqual(['# one'])
    expect(kinds(tokenize('#include <a>', 'c'), 'comment')).toEqual([])
  })

  it('does not take words inside identifiers for keywords', () => {
    expect(kinds(tokenize('format_if import_x', 'py'), 'keyword')).toEqual([])
  })
})

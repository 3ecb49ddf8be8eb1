/**
 * A small code highlighter for job results: comments, strings, numbers, keywords and
 * punctuation of the C, JavaScript, Python, Rust, Go and shell families. Pure; the tokens'
 * texts put together are the input, so nothing is lost or reordered.
 */

export type TokenType = 'comment' | 'string' | 'number' | 'keyword' | 'literal' | 'punct' | 'plain'

export interface Token {
  type: TokenType
  text: string
}

const KEYWORDS = new Set(
  `as async await break case catch class const continue def defer del do elif else enum except export extends finally fn for from func
  function go if impl import in interface is lambda let loop match mod mut new not of or and package pass pub raise return self static
  struct switch this throw trait try type typeof use var where while with yield`.split(/\s+/),
)
const LITERALS = new Set(['true', 'false', 'null', 'undefined', 'None', 'True', 'False', 'nil', 'NaN', 'Infinity'])
/** Languages whose line comments start with `#`. */
const HASH_COMMENTS = new Set(['py', 'python', 'sh', 'bash', 'shell', 'zsh', 'rb', 'ruby', 'yaml', 'yml', 'toml', 'r'])

const rules = (lang: string): Array<[TokenType, RegExp]> => [
  ['comment', HASH_COMMENTS.has(lang) ? /#[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/y : /\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/y],
  ['string', /"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`(?:[^`\\]|\\[\s\S])*`?/y],
  ['number', /\b(?:0x[0-9a-fA-F_]+|\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?)\b/y],
  ['plain', /[A-Za-z_$][\w$]*/y],
  ['punct', /[{}()[\];,.:<>=+\-*/%!&|^~?@]+/y],
  ['plain', /\s+|[^\s]/y],
]

/** `code` cut into tokens; `lang` is the fence's language, e.g. "ts" or "python", or empty. */
export function tokenize(code: string, lang = ''): Token[] {
  const table = rules(lang.toLowerCase())
  const out: Token[] = []
  let at = 0
  while (at < code.length) {
    for (const [type, re] of table) {
      re.lastIndex = at
      const m = re.exec(code)
      if (!m || m[0].length === 0) continue
      const text = m[0]
      const word = type === 'plain' && /^[A-Za-z_$]/.test(text)
      push(out, word && KEYWORDS.has(text) ? 'keyword' : word && LITERALS.has(text) ? 'literal' : type, text)
      at += text.length
      break
    }
  }
  return out
}

/** Adjacent tokens of one type are merged, which keeps the DOM small. */
function push(out: Token[], type: TokenType, text: string) {
  const last = out[out.length - 1]
  if (last && last.type === type) last.text += text
  else out.push({ type, text })
}

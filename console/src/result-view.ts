/** What a job result's content holds, in the order it holds it: text, images and code. Pure. */

export type Part = { type: 'text'; text: string } | { type: 'image'; url: string; alt: string } | { type: 'code'; lang: string; code: string }

/** Image generation (NIP-90 kind 5100) answers with a link to the image, whatever its name. */
const IMAGE_RESULT_KINDS = new Set([6100])
const IMAGE_URL = /^(?:https?:\/\/\S+\.(?:png|jpe?g|gif|webp|avif|svg)(?:[?#]\S*)?|data:image\/(?:png|jpeg|gif|webp|avif);base64,[A-Za-z0-9+/=]+)$/i
const MARKDOWN_IMAGE = /^!\[([^\]]*)\]\((\S+?)\)$/
const FENCE = /```([\w+#.-]*)[^\n]*\n([\s\S]*?)(?:```|$)/g

/** Only links a page may load as an image: http(s) and inline raster data. */
export const isImageUrl = (s: string) => IMAGE_URL.test(s)
const isHttpUrl = (s: string) => /^https?:\/\/\S+$/i.test(s)

export function resultParts(content: string, kind = 0): Part[] {
  const trimmed = content.trim()
  if (IMAGE_RESULT_KINDS.has(kind) && isHttpUrl(trimmed)) return [{ type: 'image', url: trimmed, alt: 'generated image' }]
  const json = asJson(trimmed)
  if (json !== undefined) return [{ type: 'code', lang: 'json', code: json }]
  const parts: Part[] = []
  let at = 0
  for (const m of content.matchAll(FENCE)) {
    parts.push(...prose(content.slice(at, m.index)))
    parts.push({ type: 'code', lang: m[1].toLowerCase(), code: m[2].replace(/\n$/, '') })
    at = m.index + m[0].length
  }
  parts.push(...prose(content.slice(at)))
  return parts
}

/** Text between code blocks: lines that are an image (a link or markdown) become images. */
function prose(text: string): Part[] {
  const parts: Part[] = []
  let lines: string[] = []
  const flush = () => {
    const t = lines.join('\n').trim()
    if (t) parts.push({ type: 'text', text: t })
    lines = []
  }
  for (const line of text.split('\n')) {
    const s = line.trim()
    const md = MARKDOWN_IMAGE.exec(s)
    if (md && isImageUrl(md[2])) {
      flush()
      parts.push({ type: 'image', url: md[2], alt: md[1] || 'image' })
    } else if (isImageUrl(s)) {
      flush()
      parts.push({ type: 'image', url: s, alt: 'image' })
    } else lines.push(line)
  }
  flush()
  return parts
}

/** A JSON object or array, pretty-printed, or undefined when the content is something else. */
function asJson(s: string): string | undefined {
  if (!/^[[{]/.test(s)) return undefined
  try {
    return JSON.stringify(JSON.parse(s), null, 2)
  } catch {
    return undefined
  }
}

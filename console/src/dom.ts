/** Building the page: elements from plain data (text is always text, never markup). */

type Child = Node | string | number | null | undefined | false
/** Children may come in (nested) lists, as `map` makes them. */
export type Children = Child | Children[]
type Props = Record<string, string | number | boolean | null | undefined | EventListener>

/** An element; `on…` props are listeners, `false`/`null` props are left out, `true` ones are empty. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Children[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(props)) {
    if (typeof value === 'function') el.addEventListener(name.slice(2), value)
    else if (value === true) el.setAttribute(name, '')
    else if (value !== false && value !== null && value !== undefined) el.setAttribute(name, String(value))
  }
  el.append(...nodes(children))
  return el
}

function nodes(children: Children[]): Array<Node | string> {
  return ((children as unknown[]).flat(Infinity) as Child[]).flatMap((c) => (c === null || c === undefined || c === false ? [] : [typeof c === 'number' ? String(c) : c]))
}

/** Replaces what `el` holds. */
export function fill(el: Element, ...children: Children[]) {
  el.replaceChildren(...nodes(children))
}

/** SVG markup built by charts.ts, which escapes all it writes. */
export function svgFrom(markup: string): Element {
  const t = document.createElement('template')
  t.innerHTML = markup
  return t.content.firstElementChild as Element
}

/** A notice that something could not be shown, and why. */
export const problem = (text: string) => h('p', { class: 'problem', role: 'alert' }, text)

// A tiny element builder. Text from the API only ever goes in as text nodes.
export type Child = Node | string | number | null | undefined | false
type Attr = string | number | boolean | undefined | ((event: Event) => void)

export function h<K extends keyof HTMLElementTagNameMap> (tag: K, attrs: Record<string, Attr> = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value)
    else element.setAttribute(name, value === true ? '' : String(value))
  }
  append(element, children)
  return element
}

export function append (parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child)
  }
}

export function replaceChildren (parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren()
  append(parent, children)
}

export const formatTime = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })

export const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`

/** The SVG counterpart of h(): attributes only, no listeners. */
export function s<K extends keyof SVGElementTagNameMap> (tag: K, attrs: Record<string, string | number | undefined> = {}, ...children: (Child | Child[])[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined) element.setAttribute(name, String(value))
  }
  append(element, children)
  return element
}

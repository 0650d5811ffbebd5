// Sizes of a result as it is served: the UTF-8 bytes of its JSON text,
// counted as the result grows so that an oversized one is refused without
// ever being built or serialised whole.

import { LimitError } from './run-errors.ts'
import { formatBytes } from './engine-types.ts'

// Characters JSON.stringify escapes: '"', '\' and the C0 controls.
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/

function escapedAsciiBytes (code: number): number {
  if (code === 0x22 || code === 0x5c) return 2 // \" \\
  if (code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d) return 2 // \b \t \n \f \r
  if (code < 0x20) return 6 // \u00XX
  return 1
}

/** Bytes of JSON.stringify(text) in UTF-8, quotes included. */
export function jsonStringBytes (text: string): number {
  // Common case: nothing escaped and no lone surrogate (which JSON.stringify
  // writes as \uXXXX, but Buffer.byteLength would count as U+FFFD).
  if (!NEEDS_ESCAPE.test(text) && text.isWellFormed()) return Buffer.byteLength(text, 'utf8') + 2
  let bytes = 2
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) {
      bytes += escapedAsciiBytes(code)
    } else if (code < 0x800) {
      bytes += 2
    } else if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        i++
      } else {
        bytes += 6
      }
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      bytes += 6
    } else {
      bytes += 3
    }
  }
  return bytes
}

// `{"header":[],"rows":[]}`
const EMPTY_RESULT_BYTES = 23

/**
 * Running size of `{"header":[...],"rows":[[...],...]}` for one result.
 * Every `add*` throws LimitError as soon as the total passes the limit.
 */
export class ServedSize {
  #bytes = EMPTY_RESULT_BYTES
  #max: number
  #columns = 0
  #rows = 0
  #cellsInRow = 0

  constructor (maxBytes: number) {
    this.#max = maxBytes
    this.#check()
  }

  static ofEmptyResult (maxBytes: number): ServedSize {
    return new ServedSize(maxBytes)
  }

  get bytes (): number {
    return this.#bytes
  }

  addHeaderName (name: string): void {
    this.#add(jsonStringBytes(name) + (this.#columns++ > 0 ? 1 : 0))
  }

  startRow (): void {
    this.#cellsInRow = 0
    this.#add(2 + (this.#rows++ > 0 ? 1 : 0)) // [ ] and the comma before it
  }

  addNull (): void {
    this.#addCell(4)
  }

  addText (text: string): void {
    this.#addCell(jsonStringBytes(text))
  }

  /** Refuses before a cell of `bytes` bytes of UTF-8 is decoded when even its least JSON size cannot fit. */
  reserveText (bytes: number): void {
    // Decoded and quoted, text never takes fewer bytes than its UTF-8 (a bad
    // sequence becomes U+FFFD, at least as long as the bytes it replaces).
    if (this.#bytes + bytes + 2 + (this.#cellsInRow > 0 ? 1 : 0) > this.#max) this.#fail()
  }

  /** A blob, served as upper-case hex. */
  addBlob (bytes: number): void {
    this.#addCell(bytes * 2 + 2)
  }

  #addCell (bytes: number): void {
    this.#add(bytes + (this.#cellsInRow++ > 0 ? 1 : 0))
  }

  #add (bytes: number): void {
    this.#bytes += bytes
    this.#check()
  }

  #check (): void {
    if (this.#bytes > this.#max) this.#fail()
  }

  #fail (): never {
    throw new LimitError(`result is larger than ${formatBytes(this.#max)}`)
  }
}

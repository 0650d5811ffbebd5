// Writes a mutant back as text: the answer's own text, spaces and comments,
// with a few tokens replaced, removed or inserted. A mutant is only kept when
// its text reads back as exactly the tokens intended, so an edit can never
// merge into a comment, a longer operator or another word.

import { asciiLower, tokenize } from './normalise.ts'
import type { QueryText } from './mutation-syntax.ts'

/** Replaces tokens [from, to) with `text`; from === to inserts after token from - 1; empty text removes. */
export interface Edit { from: number, to: number, text: string }

const significant = (text: string) => tokenize(text)

/** True when `a` written right before `b` would not read back as these two tokens. */
function sticks (a: string, b: string): boolean {
  const both = tokenize(a + b)
  return !(both.length === 2 && both[0].text === a && both[1].text === b)
}

const isBlank = (lead: string) => /^[ \t]*$/.test(lead)

/** `word` in the letter case of `sample` (lower, Title or UPPER), so a mutant reads like its answer. */
export function styled (word: string, sample: string): string {
  if (sample === asciiLower(sample)) return asciiLower(word)
  if (sample.length > 1 && sample[0] !== asciiLower(sample[0]) && sample.slice(1) === asciiLower(sample.slice(1))) {
    return word.split(' ').map(w => w[0] + asciiLower(w.slice(1))).join(' ')
  }
  return word
}

/** The mutant's text, or null when the edits overlap or would not read back as intended. */
export function render (q: QueryText, edits: Edit[]): string | null {
  const sorted = [...edits].sort((a, b) => a.from - b.from)
  let out = ''
  const expected: string[] = []
  let last: string | null = null // text of the last token written
  let i = 0
  let nextLead: string | null = null // replaces the lead of token i
  let edited = false // token i follows an edit, so its neighbour is new
  const copyTo = (end: number) => {
    for (; i < end; i++) {
      let lead = nextLead ?? q.leads[i]
      nextLead = null
      if (edited && lead === '' && last !== null && sticks(last, q.tokens[i].text)) lead = ' '
      edited = false
      out += lead + q.tokens[i].text
      expected.push(q.tokens[i].text)
      last = q.tokens[i].text
    }
  }

  for (const edit of sorted) {
    if (edit.from < i || edit.to < edit.from || edit.to > q.tokens.length) return null
    copyTo(edit.from)
    const inserted = significant(edit.text).map(t => t.text)
    if (inserted.length > 0) {
      let lead = edit.from === edit.to ? (last === null || last === '(' ? '' : ' ') : (nextLead ?? q.leads[edit.from])
      if (lead === '' && last !== null && sticks(last, inserted[0])) lead = ' '
      out += lead + edit.text.trim()
      expected.push(...inserted)
      last = inserted.at(-1)!
      nextLead = null
    } else if (edit.to > edit.from) {
      // A removal glued to what came before leaves no gap either: "count(DISTINCT x)" -> "count(x)".
      const following = q.leads[edit.to] ?? ''
      nextLead = (nextLead ?? q.leads[edit.from]) === '' && isBlank(following) ? '' : following
    }
    i = edit.to
    edited = true
  }
  copyTo(q.tokens.length)
  out += q.tail

  const read = significant(out).map(t => t.text)
  if (read.length !== expected.length || read.some((text, n) => text !== expected[n])) return null
  return out
}

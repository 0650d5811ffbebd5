// Spellings of SQL words for the Unicode tests: ASCII case changes, which
// SQLite folds, and non-ASCII lookalikes, which it does not.
import type { Random } from './seeded-random.ts'

// Written out for TAP: every character outside printable ASCII as \u{...}.
export const visible = (text: string) => [...text].map(c => /[ -~]/.test(c) ? c : `\\u{${c.codePointAt(0)!.toString(16)}}`).join('')

// Letters (or pairs) of ASCII words and what JavaScript's case mapping would
// fold into them: "ſ".toUpperCase() is "S", "K" (Kelvin) lower-cases to "k", ...
export const LOOKALIKES: ReadonlyArray<[string, string]> = [
  ['S', 'ſ'], ['I', 'ı'], ['K', '\u212a'], ['I', '\u0130'], ['SS', 'ß'], ['FI', 'ﬁ'], ['FF', 'ﬀ'], ['FL', 'ﬂ'], ['ST', 'ﬅ'], ['ST', 'ﬆ']
]

// Other non-ASCII characters, all of them identifier characters to SQLite.
export const UNICODE = ['é', 'É', 'ı', 'ſ', 'ß', '\u212a', '\u00a0', '\u200b', '\u0301', '\u2028', '\ufeff', 'Ｓ', 'Ω', '😀', 'ǅ', 'ﬁ']

export function randomCase (random: Random, word: string): string {
  return [...word].map(c => random.chance(0.5) ? c.toLowerCase() : c.toUpperCase()).join('')
}

/** Every spelling of `word` with one lookalike in place of the letters it folds to. */
export function lookalikeSpellings (word: string): string[] {
  return LOOKALIKES.flatMap(([letters, lookalike]) => {
    const at = word.toUpperCase().indexOf(letters)
    return at === -1 ? [] : [word.slice(0, at) + lookalike + word.slice(at + letters.length)]
  })
}

/** The word with one lookalike or other non-ASCII character in it: a name to SQLite, never a keyword. */
export function disguise (random: Random, word: string): string {
  const lookalikes = lookalikeSpellings(word)
  if (lookalikes.length > 0 && random.chance(0.8)) return random.pick(lookalikes)
  const at = random.int(1, word.length)
  return word.slice(0, at) + random.pick(UNICODE) + word.slice(at)
}

// Versions of a reference answer that settle what the answer leaves to
// chance: on a dataset where one of them gives another result, the answer's
// own result depends on ties or on the order rows happen to be scanned in,
// and a correct query could be graded wrong there.
import { isKeyword, splitStatements, tokenize, type Token } from './normalise.ts'

const isPunct = (token: Token | undefined, text: string) => token?.type === 'punct' && token.text === text

/** The tokens of the statement that gives the result: the last one. */
function resultStatement (sql: string): Token[] {
  return splitStatements(tokenize(sql)).at(-1) ?? []
}

/** Where the outer ORDER BY ends (where LIMIT starts, or the statement ends); -1 without one. */
function orderByEnd (statement: Token[]): number {
  let depth = 0
  let ordered = false
  for (const [i, token] of statement.entries()) {
    if (isPunct(token, '(')) depth++
    else if (isPunct(token, ')')) depth--
    else if (depth === 0 && isKeyword(token, 'ORDER') && isKeyword(statement[i + 1], 'BY')) ordered = true
    else if (depth === 0 && ordered && isKeyword(token, 'LIMIT')) return token.start
  }
  const last = statement.at(-1)
  return ordered && last !== undefined ? last.start + last.text.length : -1
}

/**
 * Queries to compare with the answer on a dataset: with an outer ORDER BY,
 * the answer with each result column added as a last sort key, ascending
 * and descending; without one, the answer with tables scanned backwards.
 */
export function tieBreakingVariants (answer: string, columns: number): string[] {
  const statement = resultStatement(answer)
  const end = orderByEnd(statement)
  if (end < 0) return [`PRAGMA reverse_unordered_selects = ON;\n${answer}`]
  const before = answer.slice(0, end)
  const after = answer.slice(end)
  const variants: string[] = []
  for (let column = 1; column <= columns; column++) {
    for (const direction of ['ASC', 'DESC']) variants.push(`${before}, ${column} ${direction} ${after}`)
  }
  return variants
}

// Values at and just around a constant a query compares a column with: the
// ones that tell `<` from `<=`, `= 'x'` from `LIKE 'x'`, 1970 from 1969.
import { affinityOf } from './dataset-rows.ts'
import { numberLiteral, parseLiteral, textLiteral } from './sql-literals.ts'

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(.*)$/

function shiftDate (text: string, days: number): string | null {
  const match = ISO_DATE.exec(text)
  if (match === null) return null
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days))
  if (Number.isNaN(date.getTime())) return null
  return date.toISOString().slice(0, 10) + match[4]
}

function shiftLastChar (text: string, step: number): string | null {
  if (text.length === 0) return null
  const code = text.charCodeAt(text.length - 1) + step
  return code < 32 || code > 0xd7ff ? null : text.slice(0, -1) + String.fromCharCode(code)
}

function numbersAround (value: number, kind: 'integer' | 'real', real: boolean): string[] {
  const out = [value, value - 1, value + 1].map(n => numberLiteral(n, kind))
  if (real || kind === 'real') out.push(numberLiteral(value - 0.5, 'real'), numberLiteral(value + 0.5, 'real'))
  return out
}

function textsAround (text: string): string[] {
  const out = [text, text.toUpperCase() === text ? text.toLowerCase() : text.toUpperCase(), `${text} `]
  if (text.length > 0) out.push(text[0].toUpperCase() === text[0] ? text[0].toLowerCase() + text.slice(1) : text[0].toUpperCase() + text.slice(1))
  for (const shifted of [shiftDate(text, -1), shiftDate(text, 1), shiftLastChar(text, -1), shiftLastChar(text, 1), text.slice(0, -1)]) {
    if (shifted !== null && shifted !== '') out.push(shifted)
  }
  return out.map(textLiteral)
}

/** Texts a LIKE or GLOB pattern matches (wildcards filled in) and near misses. */
function patternValues (pattern: string, like: boolean): string[] {
  const many = like ? /%/g : /\*/g
  const one = like ? /_/g : /\?/g
  const filled = pattern.replace(many, '').replace(one, 'a')
  const padded = pattern.replace(many, 'zz').replace(one, 'Q')
  return [filled, padded, filled.toUpperCase(), filled.toLowerCase(), `${filled}!`, filled.slice(1)].filter(text => text !== '').map(textLiteral)
}

/** SQL literals to try in a column compared with `literal` ('LIKE:' or 'GLOB:' before a pattern). */
export function valuesAround (literal: string, declaredType: string): string[] {
  const affinity = affinityOf(declaredType)
  const numeric = affinity === 'integer' || affinity === 'real' || affinity === 'numeric'
  let out: string[]
  if (literal.startsWith('LIKE:') || literal.startsWith('GLOB:')) {
    const value = parseLiteral(literal.slice(5))
    out = value.kind === 'text' ? patternValues(value.value, literal.startsWith('LIKE:')) : []
  } else {
    const value = parseLiteral(literal)
    if (value.kind === 'integer' || value.kind === 'real') out = numbersAround(value.value, value.kind, affinity === 'real')
    else if (value.kind === 'text') {
      out = textsAround(value.value)
      const number = Number(value.value)
      if (numeric && value.value.trim() !== '' && Number.isFinite(number)) out.push(...numbersAround(number, Number.isInteger(number) ? 'integer' : 'real', affinity === 'real'))
    } else out = value.kind === 'blob' ? [literal] : []
  }
  return [...new Set(out)]
}

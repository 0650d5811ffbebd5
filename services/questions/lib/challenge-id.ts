// A challenge id carries the question id and the run's input hash, packed
// into an opaque, URL-safe token: 8 bytes of question id + 32 bytes of hash.
const HASH_BYTES = 32

export interface ChallengeRef {
  questionId: string
  inputHash: string
}

export function encodeChallengeId (ref: ChallengeRef): string {
  const bytes = Buffer.alloc(8 + HASH_BYTES)
  bytes.writeBigUInt64BE(BigInt(ref.questionId), 0)
  Buffer.from(ref.inputHash, 'base64url').copy(bytes, 8)
  return bytes.toString('base64url')
}

// null when the id is not one this service could have made.
export function decodeChallengeId (id: string): ChallengeRef | null {
  if (!/^[A-Za-z0-9_-]{54}$/.test(id)) return null
  const bytes = Buffer.from(id, 'base64url')
  if (bytes.length !== 8 + HASH_BYTES) return null
  const questionId = bytes.readBigUInt64BE(0)
  if (questionId === 0n) return null
  return { questionId: questionId.toString(), inputHash: bytes.subarray(8).toString('base64url') }
}

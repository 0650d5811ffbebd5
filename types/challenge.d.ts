/**
 * Challenge
 * A Challenge
 */
export interface Challenge {
  id?: string;
  inputHash: string;
  query: string;
  questionId: string;
  ranAt: string;
  userId: string;
}
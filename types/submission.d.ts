/**
 * Submission
 * A Submission
 */
export interface Submission {
  id?: string;
  createdAt?: string | null;
  query: string;
  questionId: string;
  reason?: string | null;
  same: boolean;
  userId: string;
}
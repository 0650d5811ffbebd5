/**
 * Submission
 * A Submission
 */
export interface Submission {
  id?: string;
  actualRow?: {
    [name: string]: any;
  } | null;
  createdAt?: string | null;
  expectedRow?: {
    [name: string]: any;
  } | null;
  outputHash?: string | null;
  query: string;
  questionId: string;
  reason?: string | null;
  same: boolean;
  userId: string;
}
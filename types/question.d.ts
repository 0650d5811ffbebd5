/**
 * Question
 * A Question
 */
export interface Question {
  id?: string;
  answer: string;
  createdAt?: string | null;
  description: string;
  difficulty: string;
  schemaId: string;
  solutionVideo?: string | null;
  title: string;
  type: string;
  updatedAt?: string | null;
}
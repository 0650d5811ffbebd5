/**
 * Question
 * A Question
 */
export interface Question {
  id?: string;
  answer: string;
  columnNames: string;
  createdAt?: string | null;
  description: string;
  difficulty: string;
  numericTolerance?: number | null;
  rowOrder: string;
  schemaId: string;
  solutionVideo?: string | null;
  title: string;
  type: string;
  updatedAt?: string | null;
}
/**
 * Question
 * A Question
 */
export interface Question {
  id?: string;
  answer: string;
  columnNames?: string | null;
  createdAt?: string | null;
  description: string;
  difficulty: string;
  equivalentMutants?: {
    [name: string]: any;
  } | null;
  numericTolerance?: number | null;
  rowOrder?: string | null;
  schemaId: string;
  solutionVideo?: string | null;
  title: string;
  type: string;
  updatedAt?: string | null;
}
/**
 * HiddenDataset
 * A HiddenDataset
 */
export interface HiddenDataset {
  id?: string;
  createdAt?: string | null;
  initialSql: string;
  questionId: string;
  updatedAt?: string | null;
}
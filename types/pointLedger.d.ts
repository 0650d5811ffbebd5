/**
 * PointLedger
 * A PointLedger
 */
export interface PointLedger {
  id?: string;
  amount: number;
  createdAt?: string | null;
  questionId?: string | null;
  reason: string;
  userId: string;
}
/**
 * Group
 * A Group
 */
export interface Group {
  id?: string;
  createdAt?: string | null;
  description: string;
  name: string;
  updatedAt?: string | null;
}
/**
 * Schema
 * A Schema
 */
export interface Schema {
  id?: string;
  createdAt?: string | null;
  description: string;
  initialSql: string;
  picture?: string | null;
  updatedAt?: string | null;
}
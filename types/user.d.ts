/**
 * User
 * A User
 */
export interface User {
  id?: string;
  createdAt?: string | null;
  displayName?: string | null;
  groupId?: string | null;
  points: number;
  updatedAt?: string | null;
}
/**
 * User
 * A User
 */
export interface User {
  id?: string;
  createdAt?: string | null;
  groupId?: string | null;
  updatedAt?: string | null;
}
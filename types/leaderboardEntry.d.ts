/**
 * LeaderboardEntry
 * A LeaderboardEntry
 */
export interface LeaderboardEntry {
  period?: string;
  starts?: string;
  userId?: string;
  points: number;
  pointsReachedAt: string;
  solved: number;
  solvedReachedAt: string;
}
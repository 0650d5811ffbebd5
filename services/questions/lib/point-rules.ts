import type { Config } from '../../../lib/config.ts'
import type { PointRules } from './progress.ts'

export function pointRules (config: Config): PointRules {
  return {
    startingPoints: config.STARTING_POINTS,
    solutionCost: config.SOLUTION_COST,
    byDifficulty: { easy: config.POINTS_EASY, medium: config.POINTS_MEDIUM, hard: config.POINTS_HARD }
  }
}

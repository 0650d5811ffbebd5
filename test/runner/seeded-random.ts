// The seeded random generator of the property tests is the runner's own:
// the same seed gives the same cases, so a failure names a case that can be
// run again.
export { seededRandom, type SeededRandom as Random } from '../../services/dbrunner/lib/seeded-random.ts'

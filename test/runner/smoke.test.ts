import t from 'tap'
import { loadConfig } from '../../lib/config.ts'
t.equal(loadConfig({}).PORT, 3100)

#!/usr/bin/env node
// The `oanix` command: registers tsx so Node runs the TypeScript CLI as it is.
import { register } from 'tsx/esm/api'

register()
const { run } = await import('../cli/main.ts')
process.exitCode = await run(process.argv.slice(2))

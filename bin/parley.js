#!/usr/bin/env node
// Entry point of the `parley` command. Parley runs its TypeScript sources through tsx's loader
// (no separate compile step to forget); see docs/architecture.md.
import { register } from 'tsx/esm/api';

register();
const { main, UsageError } = await import('../src/cli/main.ts');
try {
  const code = await main(process.argv.slice(2));
  if (code >= 0) process.exitCode = code;
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`parley: ${error.message}\nRun "parley --help" for usage.`);
    process.exitCode = 2;
  } else {
    console.error(error);
    process.exitCode = 1;
  }
}

/**
 * Parley as `parley start` runs it (configuration from the environment, jobs on, production
 * settings, the shipped classifier in the pipeline, the external phase wired and off for a site
 * without a service), without the demo and its start-up messages. Started by the write and soak
 * benches in its own process (bench/write.ts spawnParley); stops on SIGTERM.
 */
import { loadConfig } from '../src/config.ts';
import { ensureWebBuilt } from '../src/cli/web.ts';
import { buildApp } from '../src/server/app.ts';
import { timeStatements } from './statement-times.ts';

// BENCH_SQL_STATS=<file>: time every SQLite statement, saved to <file> on SIGTERM.
const statementTimes = process.env.BENCH_SQL_STATS ? timeStatements() : null;
const config = loadConfig();
if (config.host !== '127.0.0.1') throw new Error('the bench server listens on loopback only');
await ensureWebBuilt();
const parley = await buildApp(config);
await parley.app.listen({ port: config.port, host: config.host });
process.once('SIGTERM', () => {
  void parley.close().then(() => {
    if (statementTimes) statementTimes.save(process.env.BENCH_SQL_STATS as string);
    process.exit(0);
  });
});

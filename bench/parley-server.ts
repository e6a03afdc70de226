/**
 * Parley as `parley start` runs it (configuration from the environment, jobs on, production
 * settings), with one difference: the moderation pipeline gets the bench classifier, since no real
 * classifier is wired yet and the write bench wants every phase on. The external phase is wired as
 * in `parley start` and runs for sites that configure a service (the bench site does not).
 * Started by the write bench in its own process; stops on SIGTERM.
 */
import { loadConfig } from '../src/config.ts';
import { ensureWebBuilt } from '../src/cli/web.ts';
import { buildApp } from '../src/server/app.ts';
import { benchClassifier } from './moderation-fixtures.ts';

const config = loadConfig();
if (config.host !== '127.0.0.1') throw new Error('the bench server listens on loopback only');
await ensureWebBuilt();
const parley = await buildApp(config, { moderation: { classifier: benchClassifier } });
await parley.app.listen({ port: config.port, host: config.host });
process.once('SIGTERM', () => {
  void parley.close().then(() => process.exit(0));
});

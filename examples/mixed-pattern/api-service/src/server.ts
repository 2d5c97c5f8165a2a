// api-service of the Clockwork mixed-pattern example. Run with `node src/server.ts` (Node 24
// strips the types). Serves at once; /health answers 503 until Postgres is reachable.
import { createServer } from 'node:http';
import { createHandler } from './app.ts';
import { loadConfig } from './config.ts';
import { Database } from './db.ts';
import { errorMessage, log } from './log.ts';
import { createMetrics } from './metrics.ts';

const config = loadConfig();
const db = new Database(config.db, { first: config.retryDelayMs, max: config.maxRetryDelayMs });
const metrics = createMetrics();
const server = createServer(createHandler(db, metrics));
server.keepAliveTimeout = 5000;

server.on('error', (error) => {
  log.error(`cannot listen on port ${config.port}: ${errorMessage(error)}`);
  process.exit(1);
});
server.listen(config.port, () => log.info(`api-service listening on :${config.port} (node ${process.version}); database ${db.target}`));
void db.start();

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    server.close();
    server.closeIdleConnections();
    db.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
    setTimeout(() => process.exit(0), 5000).unref();
  });
}

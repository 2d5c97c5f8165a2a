// A task before an API: `migrate` runs once to completion (run: 'once') and creates the API's
// schema; `api-service` depends on it, so it starts only once the migration has exited 0 — and
// a second apply does not run the migration again while its spec is unchanged.
import { Resource } from 'clockwork';

const database = { POSTGRES_USER: 'app', POSTGRES_PASSWORD: 'app', POSTGRES_DB: 'app' };

// Named postgres-db so that api-service finds it by the injected POSTGRES_DB_HOST/_PORT.
export const postgresDb = new Resource({
  name: 'postgres-db',
  description: 'The database the migration writes the schema into',
  image: 'postgres:16.4',
  ports: [{ name: 'postgres', port: 5432 }],
  env: { ...database, PGDATA: '/var/lib/postgresql/data/pgdata' },
  securityContext: { runAsUser: 999, runAsGroup: 999 },
  volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
  readiness: { exec: { command: ['pg_isready', '-U', database.POSTGRES_USER, '-d', database.POSTGRES_DB] }, periodSeconds: 1 },
});

const schema = `BEGIN;
CREATE TABLE items (
  id         bigserial   PRIMARY KEY,
  name       text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO items (name) VALUES ('created by migration 0001');
INSERT INTO schema_migrations (version) VALUES ('0001_items');
COMMIT;
`;

// Like a migration tool: it records each run, applies what is not applied yet, and exits 0.
export const migrate = new Resource({
  name: 'migrate',
  description: 'Creates the items table that api-service serves',
  image: 'postgres:16.4',
  run: 'once',
  backoffLimit: 2,
  env: { PGUSER: database.POSTGRES_USER, PGPASSWORD: database.POSTGRES_PASSWORD, PGDATABASE: database.POSTGRES_DB },
  securityContext: { runAsUser: 999, runAsGroup: 999 },
  files: [{ mountPath: '/migrations/0001_items.sql', content: schema }],
  command: [
    'sh',
    '-ec',
    `export PGHOST="$POSTGRES_DB_HOST" PGPORT="$POSTGRES_DB_PORT"
psql -v ON_ERROR_STOP=1 -q -c 'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())' \\
  -c 'CREATE TABLE IF NOT EXISTS migration_runs (id bigserial PRIMARY KEY, ran_at timestamptz NOT NULL DEFAULT now())' \\
  -c 'INSERT INTO migration_runs DEFAULT VALUES'
if [ "$(psql -tAc "SELECT count(*) FROM schema_migrations WHERE version = '0001_items'")" = 0 ]; then
  echo "applying 0001_items"; psql -v ON_ERROR_STOP=1 -q -f /migrations/0001_items.sql
else
  echo "0001_items already applied"
fi
echo "migrations done"`,
  ],
});

// The seed's API (examples/mixed-pattern/api-service); it starts only once migrate completed.
export const apiService = new Resource({
  name: 'api-service',
  description: 'REST API over the items table',
  image: 'clockwork-examples/api-service:0.1.0',
  ports: [{ name: 'http', port: 8000, hostPort: 8001 }],
  env: { ...database },
  readiness: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 1 },
  assertions: [{ name: 'items', http: { port: 'http', path: '/items', bodyContains: 'created by migration 0001' } }],
});

migrate.connect(postgresDb);
apiService.connect(postgresDb, migrate);

export default [postgresDb, migrate, apiService];

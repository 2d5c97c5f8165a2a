// Settings from the environment. Clockwork injects POSTGRES_DB_HOST / POSTGRES_DB_PORT for the
// `postgres-db` dependency; the credentials default to the ones examples/mixed-pattern/main.ts uses.
export interface DbConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export interface Config {
  port: number;
  db: DbConfig;
  /** First delay between connection attempts; doubles up to `maxRetryDelayMs`. */
  retryDelayMs: number;
  maxRetryDelayMs: number;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: int(env, 'PORT', 8000),
    db: {
      host: env.POSTGRES_DB_HOST || 'localhost',
      port: int(env, 'POSTGRES_DB_PORT', 5432),
      user: env.POSTGRES_USER || 'app',
      password: env.POSTGRES_PASSWORD ?? 'app',
      database: env.POSTGRES_DB || 'app',
    },
    retryDelayMs: int(env, 'DB_RETRY_DELAY_MS', 500),
    maxRetryDelayMs: int(env, 'DB_MAX_RETRY_DELAY_MS', 5000),
  };
}

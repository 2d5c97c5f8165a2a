// The items table in Postgres. The pool reconnects by itself; `start()` keeps retrying until the
// schema exists, and a query that finds the table missing (a fresh database after a restart)
// creates it again. Nothing here throws out of the process when the database goes away.
import pg from 'pg';
import type { DbConfig } from './config.ts';
import { errorMessage, log } from './log.ts';

export interface Item {
  id: number;
  name: string;
  createdAt: string;
}

export type Health = { ok: true; latencyMs: number } | { ok: false; reason: string };

const SCHEMA = `CREATE TABLE IF NOT EXISTS items (
  id         bigserial PRIMARY KEY,
  name       text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
)`;

interface ItemRow {
  id: string;
  name: string;
  created_at: Date;
}

const toItem = (row: ItemRow): Item => ({ id: Number(row.id), name: row.name, createdAt: row.created_at.toISOString() });
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
const UNDEFINED_TABLE = '42P01';

export class Database {
  readonly #pool: pg.Pool;
  readonly #config: DbConfig;
  readonly #retry: { first: number; max: number };
  #schemaReady = false;
  #lastError: string | undefined;
  #stopped = false;

  constructor(config: DbConfig, retry: { first: number; max: number }) {
    this.#config = config;
    this.#retry = retry;
    this.#pool = new pg.Pool({
      ...config,
      max: 5,
      connectionTimeoutMillis: 2000,
      idleTimeoutMillis: 10_000,
      query_timeout: 5000,
    });
    // An idle client whose server went away emits `error` on the pool; without a listener that
    // would end the process.
    this.#pool.on('error', (error) => {
      this.#lastError = errorMessage(error);
      log.warn(`database connection lost: ${this.#lastError}`);
    });
  }

  get target(): string {
    return `${this.#config.user}@${this.#config.host}:${this.#config.port}/${this.#config.database}`;
  }

  /** Connects and creates the schema, retrying with backoff until it works or `close()` is called. */
  async start(): Promise<void> {
    let delay = this.#retry.first;
    for (let attempt = 1; !this.#stopped; attempt++) {
      try {
        await this.#ensureSchema();
        log.info(`connected to ${this.target}; table "items" ready`);
        return;
      } catch (error) {
        this.#lastError = errorMessage(error);
        log.warn(`database ${this.target} not available (attempt ${attempt}): ${this.#lastError}; retrying in ${delay} ms`);
        await sleep(delay);
        delay = Math.min(delay * 2, this.#retry.max);
      }
    }
  }

  /** Healthy when the database answers a query on the items table. */
  async health(): Promise<Health> {
    if (!this.#schemaReady) return { ok: false, reason: `database not ready: ${this.#lastError ?? 'connecting'}` };
    const started = performance.now();
    try {
      await this.#query('SELECT 1 FROM items LIMIT 1');
      return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
    } catch (error) {
      this.#lastError = errorMessage(error);
      return { ok: false, reason: `database unreachable: ${this.#lastError}` };
    }
  }

  async listItems(limit: number): Promise<Item[]> {
    const result = await this.#query<ItemRow>('SELECT id, name, created_at FROM items ORDER BY id LIMIT $1', [limit]);
    return result.rows.map(toItem);
  }

  async getItem(id: number): Promise<Item | undefined> {
    const result = await this.#query<ItemRow>('SELECT id, name, created_at FROM items WHERE id = $1', [id]);
    const row = result.rows[0];
    return row ? toItem(row) : undefined;
  }

  async createItem(name: string): Promise<Item> {
    const result = await this.#query<ItemRow>('INSERT INTO items (name) VALUES ($1) RETURNING id, name, created_at', [name]);
    return toItem(result.rows[0]!);
  }

  async deleteItem(id: number): Promise<boolean> {
    const result = await this.#query('DELETE FROM items WHERE id = $1', [id]);
    return (result.rowCount ?? 0) > 0;
  }

  async close(): Promise<void> {
    this.#stopped = true;
    await this.#pool.end();
  }

  async #ensureSchema(): Promise<void> {
    await this.#pool.query(SCHEMA);
    this.#schemaReady = true;
    this.#lastError = undefined;
  }

  /** A query that recreates the table once if the database was replaced by an empty one. */
  async #query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.#pool.query<R>(text, values);
    } catch (error) {
      if ((error as { code?: unknown }).code !== UNDEFINED_TABLE) throw error;
      log.warn('table "items" is missing (new database?); creating it again');
      await this.#ensureSchema();
      return await this.#pool.query<R>(text, values);
    }
  }
}

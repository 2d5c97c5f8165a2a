import { useEffect, useState } from 'preact/hooks';
import type { EnvView as Env } from '../dashboard/dashboard-model.ts';

interface EnvValue extends Env {
  value?: string;
}

/** Env names and where their values come from; the values only when asked for, a Secret's never. */
export function EnvView({ resource, env }: { resource: string; env: readonly Env[] }) {
  const [values, setValues] = useState<EnvValue[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    setValues(undefined);
    setError(undefined);
  }, [resource]);
  if (env.length === 0) return <p class="muted">No env declared (dependencies' *_HOST and *_PORT are injected).</p>;
  const show = async () => {
    try {
      const response = await fetch(`/api/env?resource=${encodeURIComponent(resource)}`);
      if (!response.ok) throw new Error(((await response.json()) as { error: string }).error);
      setValues(((await response.json()) as { env: EnvValue[] }).env);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const shown = values ?? env;
  return (
    <div class="env">
      <table>
        <tbody>
          {shown.map((e) => (
            <tr data-env={e.name}>
              <th scope="row">{e.name}</th>
              <td>
                {e.from === 'secretKeyRef' ? (
                  <span class="muted">from Secret {e.ref} (never shown)</span>
                ) : e.from === 'configMapKeyRef' ? (
                  <span class="muted">from ConfigMap {e.ref}</span>
                ) : 'value' in e && e.value !== undefined ? (
                  <code class="env-value">{e.value}</code>
                ) : (
                  <span class="muted hidden-value">hidden</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {values ? (
        <button type="button" class="link" onClick={() => setValues(undefined)}>
          Hide values
        </button>
      ) : (
        <button type="button" class="link" onClick={() => void show()}>
          Show values
        </button>
      )}
      {error && <p class="error">{error}</p>}
    </div>
  );
}

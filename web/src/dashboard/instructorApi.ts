import { ApiError } from '../api';

export { ApiError };

export interface Me {
  signedIn: boolean;
  setupNeeded: boolean;
  canSetUp: boolean;
  csrfToken: string | null;
}

let csrfToken: string | null = null;

export async function whoAmI(): Promise<Me> {
  const me = await instructorApi<Me>('/api/instructor/me');
  csrfToken = me.csrfToken;
  return me;
}

export function rememberCsrf(token: string): void {
  csrfToken = token;
}

/** JSON over fetch with the instructor cookie; writes carry the CSRF token the server bound to it. */
export async function instructorApi<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (res.status === 204) return undefined as T;
  const json = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!res.ok) throw new ApiError(res.status, json.error?.message ?? `HTTP ${res.status}`);
  return json as T;
}

import type { SessionView } from '../../protocol/sessionView';
import type { LabSummary } from '../../protocol/labViews';

export type { LabSummary, SessionView };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;

/** The instructor's pages: their writes carry the CSRF token the server bound to the session. */
export function useCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * The page's one API client: JSON over fetch with the page's cookies (learner or instructor);
 * errors carry the server's message.
 */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const request = (): Promise<Response> =>
    fetch(path, {
      method,
      credentials: 'same-origin',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  // A read that never reached the server (the network changed under it) is tried once more.
  const res = await request().catch(async (error: unknown) => {
    if (method !== 'GET' || !(error instanceof TypeError)) throw error;
    await new Promise((resolve) => setTimeout(resolve, 500));
    return request();
  });
  if (res.status === 204) return undefined as T;
  const json = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!res.ok) throw new ApiError(res.status, json.error?.message ?? `HTTP ${res.status}`);
  return json as T;
}

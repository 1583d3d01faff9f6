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
export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; /** A write that may safely happen twice. */ repeatable?: boolean } = {},
): Promise<T> {
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
  // A read (or a repeatable write) that failed in the network (the browser saw its network change
  // under it: a laptop changing Wi-Fi, or a host where Docker adds bridges) is tried once more.
  const res = await request().catch(async (error: unknown) => {
    if ((method !== 'GET' && !init.repeatable) || !(error instanceof TypeError)) throw error;
    await new Promise((resolve) => setTimeout(resolve, 500));
    return request();
  });
  if (res.status === 204) return undefined as T;
  const json = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!res.ok) throw new ApiError(res.status, json.error?.message ?? `HTTP ${res.status}`);
  return json as T;
}

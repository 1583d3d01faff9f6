/** The classroom's HTTP API as a test drives it: instructor sign-in, classes, joining, labs. */

export interface Instructor {
  cookie: string;
  csrf: string;
}

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const cookieOf = (res: Response): string => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

export async function instructorLogin(base: string, password: string): Promise<Instructor> {
  const res = await fetch(`${base}/api/instructor/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password }),
  });
  const { csrfToken } = await json<{ csrfToken: string }>(res);
  return { cookie: cookieOf(res), csrf: csrfToken };
}

export async function instructorCall<T>(
  base: string,
  who: Instructor,
  route: string,
  method = 'GET',
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { cookie: who.cookie, 'x-csrf-token': who.csrf };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return json<T>(
    await fetch(`${base}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }),
  );
}

export interface ClassInfo {
  class: { id: string; joinCode: string; labId: string; expectedSize: number | null };
  /** Only in the answer that created the class: the server keeps just its hash. */
  apiToken?: string;
  steps: { id: string; title: string }[];
  learners: {
    id: string;
    displayName: string;
    passed: string[];
    session: { sessionId: string; status: string } | null;
  }[];
}

export async function createClass(base: string, who: Instructor, name: string): Promise<ClassInfo> {
  return instructorCall<ClassInfo>(base, who, '/api/instructor/classes', 'POST', { name });
}

/** Joins with a display name; returns the learner's cookie. */
export async function join(base: string, code: string, displayName: string): Promise<string> {
  const res = await fetch(`${base}/api/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, displayName }),
  });
  await json(res);
  return cookieOf(res);
}

export async function learnerCall<T>(
  base: string,
  cookie: string,
  route: string,
  method = 'GET',
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { cookie };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return json<T>(
    await fetch(`${base}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }),
  );
}

export interface LabSessionJson {
  id: string;
  status: string;
  machines: { id: string; terminalUrl: string }[];
}

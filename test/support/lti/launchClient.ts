/**
 * What a browser does between the LMS and the tool, done with fetch: follow the tool's OIDC
 * login to the platform, post the platform's form (id_token and state) to the tool's launch
 * URL as a cross-site form post, and open the tool's "Open the lab" link.
 */
import type { TestPlatform } from './TestPlatform';
import type { LaunchSpec } from './idTokenClaims';

export interface LaunchAnswer {
  status: number;
  html: string;
  /** The tool's "Open …" link on the launch page, when the launch was accepted. */
  openHref: string | undefined;
  /** The platform's form, for a test that posts it a second time. */
  form: { action: string; fields: Record<string, string> };
}

const unescapeAttr = (v: string): string =>
  v
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

export function formOf(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form in: ${/role="alert">([^<]*)/.exec(html)?.[1] ?? html.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input\s+type="hidden"\s+name="([^"]*)"\s+value="([^"]*)"/g))
    fields[unescapeAttr(m[1] ?? '')] = unescapeAttr(m[2] ?? '');
  return { action: unescapeAttr(action), fields };
}

/** Posts a form as a browser would from the LMS's page (another site). */
export async function postForm(
  action: string,
  fields: Record<string, string>,
  fromOrigin: string,
): Promise<{ status: number; html: string }> {
  const res = await fetch(action, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: fromOrigin,
      'sec-fetch-site': 'cross-site',
    },
    body: new URLSearchParams(fields),
  });
  return { status: res.status, html: await res.text() };
}

/** The platform's authorization answer (its auto-posting form) for the tool's login redirect. */
export async function authorize(
  platform: TestPlatform,
  spec: LaunchSpec,
): Promise<{ action: string; fields: Record<string, string> }> {
  const login = await fetch(platform.loginUrl(spec), { redirect: 'manual' });
  const location = login.headers.get('location');
  if (login.status !== 302 || !location)
    throw new Error(`tool login answered HTTP ${login.status}: ${await login.text()}`);
  // Node reaches the platform on 127.0.0.1; a browser would use its "localhost" address.
  const auth = await fetch(location.replace('//localhost:', '//127.0.0.1:'));
  if (!auth.ok) throw new Error(`platform authorization answered HTTP ${auth.status}: ${await auth.text()}`);
  return formOf(await auth.text());
}

export async function launch(platform: TestPlatform, spec: LaunchSpec): Promise<LaunchAnswer> {
  const form = await authorize(platform, spec);
  const { status, html } = await postForm(form.action, form.fields, platform.pageBase);
  const href = /id="open-lab"\s+href="([^"]*)"/.exec(html)?.[1];
  return { status, html, openHref: href && unescapeAttr(href), form };
}

/** Opens the launch page's link in "a new window": the cookie it sets, and where it leads. */
export async function enter(
  toolBase: string,
  href: string,
): Promise<{ status: number; cookie: string; location: string }> {
  const res = await fetch(`${toolBase}${href}`, { redirect: 'manual' });
  return {
    status: res.status,
    cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
    location: res.headers.get('location') ?? '',
  };
}

/**
 * The few pages the LTI flow shows inside the LMS (often in its iframe): server-rendered HTML,
 * every value escaped, scripts only from /lti/lti.js. They may be framed by any site (the LMS),
 * which the rest of the product never allows.
 */
import type { Response } from 'express';

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (value: string): string => value.replace(/[&<>"']/g, (c) => escapes[c] ?? c);

/** Markup built only from escaped values. */
export class Html {
  constructor(readonly markup: string) {}
}

/** A tagged template: interpolated strings are escaped, Html values and arrays of them are not. */
export function html(strings: TemplateStringsArray, ...values: (string | number | Html | Html[])[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const part = Array.isArray(value)
      ? value.map((v) => v.markup).join('')
      : value instanceof Html
        ? value.markup
        : esc(String(value));
    out += part + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:1.5rem;color:#1b1f24;background:#fff}
main{max-width:40rem}a.button,button{display:inline-block;font:inherit;padding:.6rem 1.1rem;border-radius:.4rem;
border:1px solid #0b5cad;background:#0b5cad;color:#fff;text-decoration:none;cursor:pointer}
a.button:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #f2a900;outline-offset:2px}
fieldset{border:1px solid #ccd;border-radius:.4rem;margin:0 0 1rem}label{display:block;margin:.3rem 0}
.error{color:#a0161b}`;

/** Sends a page; `formAction` is the one other origin a form on it may post to (deep linking's return URL). */
export function sendPage(
  res: Response,
  title: string,
  body: Html,
  options: { status?: number; formAction?: string } = {},
): void {
  const formAction = options.formAction ? `'self' ${new URL(options.formAction).origin}` : "'self'";
  res.removeHeader('X-Frame-Options');
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'self'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action ${formAction}; frame-ancestors *`,
  );
  res.setHeader('cache-control', 'no-store');
  res
    .status(options.status ?? 200)
    .type('html')
    .send(
      html`<!doctype html>
        <html lang="en">
          <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width,initial-scale=1" />
            <title>${title}</title>
            <style>
              ${new Html(STYLE)}
            </style>
            <script src="/lti/lti.js" defer></script>
          </head>
          <body>
            <main>${body}</main>
          </body>
        </html>`.markup,
    );
}

/**
 * The page script: a launch page not inside a frame goes straight on to the lab; inside the
 * LMS's frame the learner opens it in a new window, where the tool's cookie is first-party
 * (browsers that block third-party cookies would drop it inside the frame). A form marked
 * data-autosubmit (the deep-linking answer) posts itself.
 */
export const PAGE_SCRIPT = `(() => {
  const open = document.getElementById('open-lab');
  if (open && window.top === window.self) location.replace(open.href);
  const form = document.querySelector('form[data-autosubmit]');
  if (form) form.submit();
})();
`;

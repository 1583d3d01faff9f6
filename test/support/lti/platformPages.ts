/** The HTML an LMS shows the browser: the OIDC form_post back to the tool, and a course page. */
const attr = (v: string): string => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function formPost(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${attr(k)}" value="${attr(v)}">`)
    .join('');
  return `<!doctype html><html lang="en"><title>Signing in</title><body><form id="f" method="post" action="${attr(action)}">${inputs}<button>Continue</button></form><script>document.getElementById('f').submit()</script></body></html>`;
}

/** A course page, as an LMS shows it: the activity opens inside a frame of the page. */
export function coursePage(launch: string): string {
  return `<!doctype html><html lang="en"><title>Firewalls 101</title><body><h1>Firewalls 101</h1>
<p><a id="activity" href="${attr(launch)}" target="tool">iptables lab</a></p>
<iframe name="tool" title="Activity" width="900" height="400"></iframe></body></html>`;
}

// Reads and submits the Databricks stand-in's sandbox sign-in form over plain HTTP, as a browser
// would: GET the authorize URL, take the form's action and hidden fields, POST them with the
// password. Used by the stand-in's own tests and by the OAuth client tests.
export interface SignInForm {
  action: string;
  method: string;
  fields: Record<string, string>;
}

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\b${name}="([^"]*)"`, 'i').exec(tag);
  return m
    ? m[1]
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&')
    : undefined;
};

export function readSignInForm(html: string): SignInForm {
  const form = /<form\b[^>]*>/i.exec(html)?.[0];
  if (!form) throw new Error(`no form on the sign-in page: ${html.slice(0, 200)}`);
  const fields: Record<string, string> = {};
  for (const input of html.match(/<input\b[^>]*>/gi) ?? []) {
    const name = attr(input, 'name');
    if (name) fields[name] = attr(input, 'value') ?? '';
  }
  return { action: attr(form, 'action') ?? '', method: (attr(form, 'method') ?? 'get').toLowerCase(), fields };
}

/** Opens the authorize URL, fills in the password (and any overrides) and submits; the answer is not followed. */
export async function fillSignInForm(authorizeUrl: string, password: string, overrides: Record<string, string> = {}): Promise<Response> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  if (page.status !== 200) return page;
  const form = readSignInForm(await page.text());
  const target = new URL(form.action || authorizeUrl, authorizeUrl);
  const body = new URLSearchParams({ ...form.fields, password, ...overrides });
  return fetch(target, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
}

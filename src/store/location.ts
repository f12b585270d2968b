// Telling a PostgreSQL URL from a SQLite path, and printing a URL without its password.

const POSTGRES_URL = /^postgres(?:ql)?:\/\//i;

export function isPostgresUrl(location: string): boolean {
  return POSTGRES_URL.test(location);
}

/** The URL with any password (in the user info or a `password` parameter) removed. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@'); // unparseable: hide all the user info
  }
  parsed.password = '';
  parsed.searchParams.delete('password');
  return parsed.toString();
}

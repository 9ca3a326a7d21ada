/** What every request to the service carries when it has a bearer token (TALLY_TOKEN): the header that token needs. */
export function tokenHeaders(): Record<string, string> {
  const token = process.env.TALLY_TOKEN;
  return token ? { authorization: `Bearer ${token}` } : {};
}

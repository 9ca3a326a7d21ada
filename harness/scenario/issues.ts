import type { z } from 'zod';

/** One line per problem zod found, each naming its field by path (`whole` when it is the value itself). */
export function issueLines(error: z.ZodError, whole: string): string[] {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : whole}: ${issue.message}`);
}

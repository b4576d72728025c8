import { createHash } from 'node:crypto';

/** The text naming a set of tags: a JSON array, sorted, each tag once; null for no tags. */
export function tagSetOf(tags: readonly string[]): string | null {
  if (tags.length === 0) return null;
  return JSON.stringify([...new Set(tags)].sort());
}

/** The indexed key of a tag set's text. */
export function digestOfTagSet(tags: string): string {
  return createHash('sha256').update(tags).digest('hex');
}

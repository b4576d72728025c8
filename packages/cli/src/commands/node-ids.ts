import type { CommandContext } from '../command-context.js';
import { CliError } from '../errors.js';

/**
 * The full id of a node given by its id or an unambiguous prefix of it (ids are long; typing
 * the first characters is enough, like git hashes).
 */
export async function resolveNodeId(ctx: CommandContext, given: string): Promise<string> {
  const client = ctx.client();
  try {
    return (await client.node(given)).node.id;
  } catch (error) {
    if (!(error instanceof CliError) || error.kind !== 'notFound') throw error;
  }
  const page = await client.listNodes({ id: given, limit: 6 });
  const [first, ...others] = page.nodes;
  if (first === undefined) throw new CliError('notFound', `no node has the id "${given}"`);
  if (others.length > 0) {
    const shown = page.nodes
      .slice(0, 5)
      .map((n) => n.id)
      .join(', ');
    throw new CliError(
      'usage',
      `"${given}" is ambiguous: ${page.total} nodes start with it (${shown}${page.total > 5 ? ', …' : ''})`,
    );
  }
  return first.id;
}

/** Every id resolved (see `resolveNodeId`), duplicates dropped, order kept. */
export async function resolveNodeIds(
  ctx: CommandContext,
  given: readonly string[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const id of given) {
    const full = await resolveNodeId(ctx, id);
    if (!ids.includes(full)) ids.push(full);
  }
  return ids;
}

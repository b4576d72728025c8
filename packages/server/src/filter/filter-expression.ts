import type { NodeStateKind, SimpleStatus } from '@ketrew/engine';

/** A filter, checked and with relative times resolved: what the server evaluates and compiles. */
export type FilterExpression =
  | { readonly kind: 'and'; readonly items: readonly FilterExpression[] }
  | { readonly kind: 'or'; readonly items: readonly FilterExpression[] }
  | { readonly kind: 'not'; readonly item: FilterExpression }
  | { readonly kind: 'status'; readonly statuses: readonly SimpleStatus[] }
  | { readonly kind: 'state'; readonly states: readonly NodeStateKind[] }
  | { readonly kind: 'activated-by-user' }
  | { readonly kind: 'dependency-dead' }
  | { readonly kind: 'tags'; readonly tags: readonly string[] }
  | { readonly kind: 'name-contains'; readonly text: string }
  | { readonly kind: 'name-matches'; readonly pattern: RegExp }
  | { readonly kind: 'id-prefix'; readonly prefix: string }
  | { readonly kind: 'ids'; readonly ids: readonly string[] }
  | { readonly kind: 'workflow'; readonly workflowId: string }
  | {
      readonly kind: 'time-range';
      readonly field: 'created' | 'updated';
      /** Epoch ms, inclusive. */
      readonly after?: number | undefined;
      readonly before?: number | undefined;
    };

export type FilterExpressionKind = FilterExpression['kind'];

export const MATCH_EVERYTHING: FilterExpression = { kind: 'and', items: [] };

/** A parsed s-expression of the filter language, with the offset where each part starts. */
export type SExpression =
  | {
      readonly kind: 'list';
      readonly head: string;
      readonly args: readonly SExpression[];
      readonly position: number;
    }
  | { readonly kind: 'string'; readonly value: string; readonly position: number }
  | { readonly kind: 'number'; readonly value: number; readonly position: number };

/** A syntax or meaning error in a filter, at a 0-based character offset. */
export class FilterError extends Error {
  readonly position: number;

  constructor(message: string, position: number) {
    super(`${message} (at position ${position})`);
    this.name = 'FilterError';
    this.position = position;
  }
}

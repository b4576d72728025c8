/** One problem found in a document, located by a JSON Pointer (`/nodes/3/make/host/playground`). */
export interface ValidationIssue {
  readonly pointer: string;
  readonly message: string;
}

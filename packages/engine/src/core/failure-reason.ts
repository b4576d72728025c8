import type { FailureReasonKind } from '@ketrew/edsl';

/**
 * Why a node failed, classified. Retry policies select on `kind`
 * (see `RetryPolicy.on` in the wire format).
 */
export type FailureReason =
  | { readonly kind: 'non-zero-exit'; readonly code: number; readonly command?: string | undefined }
  | { readonly kind: 'killed'; readonly message?: string | undefined }
  | { readonly kind: 'timeout'; readonly seconds: number }
  | { readonly kind: 'lost'; readonly message: string }
  | { readonly kind: 'start-failed'; readonly message: string }
  | { readonly kind: 'condition-not-ensured' }
  | { readonly kind: 'dependency-failed'; readonly ids: readonly string[] }
  | { readonly kind: 'backend-error'; readonly message: string };

// Compile-time check that the engine's reasons and the wire format's reason kinds agree.
type _SameKinds = [FailureReason['kind']] extends [FailureReasonKind]
  ? [FailureReasonKind] extends [FailureReason['kind']]
    ? true
    : never
  : never;
export const failureReasonKindsAgree: _SameKinds = true;

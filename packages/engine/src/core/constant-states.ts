import type { NodeState } from './node-state.js';

type StateOf<K extends NodeState['kind']> = Extract<NodeState, { readonly kind: K }>;

// States without fields, shared by every node that enters them: frozen, so that nodes, history
// entries and stores can share one object instead of each holding its own.
export const PASSIVE: StateOf<'passive'> = Object.freeze({ kind: 'passive' });
export const BUILDING: StateOf<'building'> = Object.freeze({ kind: 'building' });
export const ALREADY_DONE: StateOf<'already-done'> = Object.freeze({ kind: 'already-done' });
export const DID_NOTHING: StateOf<'did-nothing'> = Object.freeze({ kind: 'did-nothing' });
export const VERIFIED_SUCCESS: StateOf<'verified-success'> = Object.freeze({
  kind: 'verified-success',
});

import { describe, expect, it } from 'vitest';
import { grants, SCOPES, type Scope } from './scopes.js';

describe('grants', () => {
  it.each<[readonly Scope[], Scope, boolean]>([
    [['read'], 'read', true],
    [['read'], 'submit', false],
    [['read'], 'operate', false],
    [['read'], 'admin', false],
    [['submit'], 'read', true],
    [['submit'], 'submit', true],
    [['submit'], 'operate', false],
    [['operate'], 'read', true],
    [['operate'], 'operate', true],
    [['operate'], 'submit', false],
    [['read', 'submit', 'operate'], 'admin', false],
    [[], 'read', false],
  ])('%j may %s: %s', (scopes, needed, expected) => {
    expect(grants(scopes, needed)).toBe(expected);
  });

  it('admin grants every scope', () => {
    for (const scope of SCOPES) expect(grants(['admin'], scope)).toBe(true);
  });
});

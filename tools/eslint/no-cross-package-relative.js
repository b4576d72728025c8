import path from 'node:path';

/**
 * Forbids a relative import that climbs out of its own package into another one (e.g.
 * `../../engine/src/store.ts`); shared root configuration files stay importable: packages talk to each other through their published entry
 * points only, so that each one can be built, versioned and replaced on its own.
 */
export default {
  meta: {
    type: 'problem',
    messages: {
      escapes:
        'Relative import "{{source}}" leaves package {{pkg}}; import the other package by its name instead.',
    },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const match = /^(.*\/(?:packages|apps)\/[^/]+)\//.exec(file);
    if (!match) return {};
    const root = match[1];
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), source);
      const inside = target === root || target.startsWith(root + path.sep);
      const fromWorkspace = path.relative(path.dirname(path.dirname(root)), target);
      const intoAnotherPackage = /^(?:packages|apps)\//.test(fromWorkspace);
      if (!inside && intoAnotherPackage) {
        context.report({ node, messageId: 'escapes', data: { source, pkg: path.basename(root) } });
      }
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

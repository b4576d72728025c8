import { simpleStatusOf, type EngineNode } from '@ketrew/engine';
import type { FilterExpression } from './filter-expression.js';

/**
 * Whether a node matches a filter expression. The meaning of each atom is the one of the
 * Store's `NodeFilter` field it compiles to (see `compileFilter`), so that the store and this
 * function agree.
 */
export function matchesFilter(node: EngineNode, expression: FilterExpression): boolean {
  switch (expression.kind) {
    case 'and':
      return expression.items.every((item) => matchesFilter(node, item));
    case 'or':
      return expression.items.some((item) => matchesFilter(node, item));
    case 'not':
      return !matchesFilter(node, expression.item);
    case 'status':
      return expression.statuses.includes(simpleStatusOf(node.state));
    case 'state':
      return expression.states.includes(node.state.kind);
    case 'activated-by-user':
      return node.spec.active;
    case 'dependency-dead':
      return (
        node.state.kind === 'dependencies-failed' ||
        (node.state.kind === 'finished' && node.state.reason?.kind === 'dependency-failed')
      );
    case 'tags':
      return expression.tags.every((tag) => node.spec.tags.includes(tag));
    case 'name-contains':
      return node.spec.name.toLowerCase().includes(expression.text.toLowerCase());
    case 'name-matches':
      return expression.pattern.test(node.spec.name);
    case 'id-prefix':
      return node.id.startsWith(expression.prefix);
    case 'ids':
      return expression.ids.includes(node.id);
    case 'workflow':
      return node.workflowId === expression.workflowId;
    case 'time-range': {
      const time = expression.field === 'created' ? node.createdAt : node.updatedAt;
      return (
        (expression.after === undefined || time >= expression.after) &&
        (expression.before === undefined || time <= expression.before)
      );
    }
    default:
      return unreachable(expression);
  }
}

function unreachable(value: never): never {
  throw new Error(`unhandled filter ${JSON.stringify(value)}`);
}

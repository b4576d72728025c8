/** Every id reachable from `seeds` through `next`, seeds first, in breadth-first order. */
export function breadthFirst(
  seeds: Iterable<string>,
  next: (id: string) => Iterable<string>,
): string[] {
  const seen = new Set<string>();
  const order: string[] = [];
  const visit = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    order.push(id);
  };
  for (const id of seeds) visit(id);
  for (let i = 0; i < order.length; i++) {
    for (const id of next(order[i] as string)) visit(id);
  }
  return order;
}

/** Adds `value` to the list under `key`. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

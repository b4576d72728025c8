/**
 * The deterministic job name of a node's attempt, given to backends so a job can be found again
 * after a crash: `ketrew-<node id>-a<attempt>`, cut to 200 characters.
 */
export function jobNameOf(nodeId: string, attempt: number): string {
  return `ketrew-${nodeId}-a${attempt}`.slice(0, 200);
}

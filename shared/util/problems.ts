/** A validation problem with the path of what is wrong, e.g. `services[2].im.workflowId`. */
export interface Problem {
  path: string;
  message: string;
}

/** `services[2].im.workflowId: unknown workflow "x"` */
export function formatProblem(p: Problem): string {
  return p.path ? `${p.path}: ${p.message}` : p.message;
}

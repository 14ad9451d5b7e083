/** The problems of the document being edited, for the fields that show them beside themselves. */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { Field, type FieldProps } from '@fluentui/react-components';
import type { ConfigProblem } from '@stratus/shared/contract/admin';
import { problemsAt } from './problems';

const Problems = createContext<readonly ConfigProblem[]>([]);

export function ProblemsProvider({ problems, children }: { problems: readonly ConfigProblem[]; children: ReactNode }) {
  return <Problems.Provider value={problems}>{children}</Problems.Provider>;
}

/** Problems shown by the field at `path` (absolute, e.g. `services[1].im.interact.code`). */
export function useProblems(path: string): ConfigProblem[] {
  const all = useContext(Problems);
  return useMemo(() => problemsAt(all, path), [all, path]);
}

/** Every problem of the document. */
export function useAllProblems(): readonly ConfigProblem[] {
  return useContext(Problems);
}

/** The messages of `problems` as one sentence list, or undefined when there are none. */
export function messageOf(problems: readonly ConfigProblem[]): string | undefined {
  return problems.length ? problems.map((p) => p.message).join(' · ') : undefined;
}

/** A Fluent Field that shows the problems at `path` as its validation message. */
export function ProblemField({ path, children, ...props }: FieldProps & { path: string }) {
  const message = messageOf(useProblems(path));
  return (
    <Field {...props} {...(message ? { validationState: 'error' as const, validationMessage: message } : {})}>
      {children}
    </Field>
  );
}

/**
 * A labelled group of controls (a list of checkboxes, a table of rows) with the problems at
 * `path` below it; Field would put its ARIA attributes on the list itself.
 */
import type { ReactNode } from 'react';
import { Label, Text, makeStyles, tokens, useId } from '@fluentui/react-components';
import { messageOf, useProblems } from './ProblemsContext';

const useStyles = makeStyles({
  group: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  hint: { color: tokens.colorNeutralForeground3 },
  error: { color: tokens.colorPaletteRedForeground1 },
});

export function ProblemGroup({ label, path, hint, children }: { label: string; path: string; hint?: ReactNode; children: ReactNode }) {
  const s = useStyles();
  const id = useId('group');
  const message = messageOf(useProblems(path));
  return (
    <div role="group" aria-labelledby={`${id}-label`} aria-describedby={message ? `${id}-error` : undefined} className={s.group}>
      <Label id={`${id}-label`} weight="semibold">
        {label}
      </Label>
      {children}
      {hint && (
        <Text size={200} className={s.hint}>
          {hint}
        </Text>
      )}
      {message && (
        <Text id={`${id}-error`} size={200} className={s.error}>
          {message}
        </Text>
      )}
    </div>
  );
}

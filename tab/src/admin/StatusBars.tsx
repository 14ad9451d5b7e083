/** The bars above a section: a save conflict, the problems, a failed request, a done save. */
import { Button, MessageBar, MessageBarActions, MessageBarBody } from '@fluentui/react-components';
import type { ConfigProblem } from '@stratus/shared/contract/admin';
import { ConflictBar } from './ConflictBar';
import { ProblemSummary } from './ProblemSummary';
import type { Location } from './problems';
import type { Draft } from './useDraft';

export function StatusBars<T>({
  draft,
  problems,
  describe,
  onGo,
}: {
  draft: Draft<T>;
  problems: readonly ConfigProblem[];
  describe: (l: Location) => string;
  onGo: (l: Location) => void;
}) {
  return (
    <>
      {draft.conflict && (
        <ConflictBar busy={draft.saving} onReload={() => void draft.reload()} onOverwrite={() => void draft.overwrite()} />
      )}
      {draft.error && !draft.conflict && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{draft.error}</MessageBarBody>
          <MessageBarActions>
            <Button onClick={draft.dismissError}>Dismiss</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      <ProblemSummary problems={problems} describe={describe} onGo={onGo} />
      {draft.savedCount > 0 && !draft.dirty && !draft.error && (
        <MessageBar intent="success" role="status">
          <MessageBarBody>Saved.</MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}

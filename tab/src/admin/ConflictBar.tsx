/** Someone saved first (412): the edits stay; reload discards them, overwrite saves them over the other change. */
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';

export function ConflictBar({ onReload, onOverwrite, busy }: { onReload: () => void; onOverwrite: () => void; busy: boolean }) {
  return (
    <MessageBar intent="warning" layout="multiline" role="alert">
      <MessageBarBody>
        <MessageBarTitle>Someone else saved changes since you opened this page</MessageBarTitle>
        Your changes are still here and not saved. Reload to see theirs (yours are discarded), or overwrite theirs with yours.
      </MessageBarBody>
      <MessageBarActions>
        <Button onClick={onReload} disabled={busy}>
          Reload (discard mine)
        </Button>
        <Button appearance="primary" onClick={onOverwrite} disabled={busy}>
          Overwrite with mine
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}

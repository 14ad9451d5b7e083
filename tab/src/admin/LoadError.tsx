/** The page could not be loaded: what happened, and Try again. */
import { Button, MessageBar, MessageBarActions, MessageBarBody } from '@fluentui/react-components';

export function LoadError({ message, onRetry }: { message: string | undefined; onRetry: () => void }) {
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>{message ?? 'Stratus could not be loaded.'}</MessageBarBody>
      <MessageBarActions>
        <Button onClick={onRetry}>Try again</Button>
      </MessageBarActions>
    </MessageBar>
  );
}

/** Why an owner sees a tab's fields without being able to change them. */
import { MessageBar, MessageBarBody } from '@fluentui/react-components';

export function ReadOnlyNote() {
  return (
    <MessageBar intent="info">
      <MessageBarBody>
        Read only: a tenant admin changes these settings. As a service owner you manage members, opening hours, Interact and distribution.
      </MessageBarBody>
    </MessageBar>
  );
}

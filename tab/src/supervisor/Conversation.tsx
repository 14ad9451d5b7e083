/**
 * One message of a conversation as a supervisor reads it, in the monitor pane (live) and in a
 * History transcript: the customer's and the agent's on either side with author and time, the
 * system's notices centred. Text is text: nothing a customer writes becomes markup.
 */
import { memo } from 'react';
import { mergeClasses } from '@fluentui/react-components';
import type { ChatMessage } from '@stratus/shared/contract/api';
import { useSupervisorStyles } from './styles';

export const Message = memo(function Message({ m, withDate = false }: { m: ChatMessage; withDate?: boolean }) {
  const s = useSupervisorStyles();
  const at = new Date(m.at);
  const time = withDate
    ? at.toLocaleString([], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })
    : at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (m.from === 'system')
    return (
      <li className={s.systemMsg}>
        {m.text} · {time}
      </li>
    );
  return (
    <li className={mergeClasses(s.msg, m.from === 'agent' && s.agentMsg)}>
      <span className={s.author}>
        {m.author ?? (m.from === 'agent' ? 'Agent' : 'Customer')} ({m.from === 'agent' ? 'agent' : 'customer'}) · {time}
      </span>
      {m.text}
    </li>
  );
});

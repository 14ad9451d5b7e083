/** Whether customers can reach the service through each channel it has set up, and why not. */
import { Text } from '@fluentui/react-components';
import type { ServiceConfig } from '@stratus/shared/tenant/model';
import { mayServiceUseIm } from '@stratus/shared/licensing/service';
import { CHANNEL_LABEL, channelStatus } from './licensing';
import { useFormStyles } from './form.styles';

export function ChannelStatus({ service }: { service: ServiceConfig }) {
  const s = useFormStyles();
  const channels = channelStatus(service);
  const im = mayServiceUseIm(service);
  return (
    <section aria-label="Channel status">
      <Text as="h3" weight="semibold">
        Channels
      </Text>
      {channels.length === 0 ? (
        <Text block className={s.note}>
          No channel is set up yet: add a website code under Interact or a sender under WhatsApp & SMS.
          {!im.allowed ? ` ${im.message}` : ''}
        </Text>
      ) : (
        <ul className={s.list}>
          {channels.map((c) => (
            <li key={c.channel}>
              <Text weight="semibold">{CHANNEL_LABEL[c.channel]}: </Text>
              {c.ok ? <Text className={s.ok}>customers can reach the service.</Text> : <Text className={s.danger}>{c.why}</Text>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

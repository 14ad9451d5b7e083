/**
 * The licensing rules (shared/licensing) in words for the editor: what each license enables,
 * and why a channel is or is not available.
 */
import type { AdminServiceEntry } from '@stratus/shared/contract/admin';
import type { ChannelKind, ServiceConfig, ServiceLicense, UserLicense } from '@stratus/shared/tenant/model';
import { mayServiceUseChannel } from '@stratus/shared/licensing/service';

export const SERVICE_LICENSE_INFO: Record<ServiceLicense, { label: string; enables: string }> = {
  contactCenter: {
    label: 'Contact Center',
    enables: 'Runs Instant Messaging through the service’s IM workflow, and the WhatsApp and SMS channels.',
  },
  interact: {
    label: 'Interact add-on',
    enables: 'Lets customers start chats from your website (the Interact widget). Needs Contact Center as well.',
  },
};

export const USER_LICENSE_INFO: Record<UserLicense, { label: string; enables: string }> = {
  im: { label: 'Instant Messaging', enables: 'Needed to receive any chat, from a service or directly.' },
  interactUser: {
    label: 'Interact User',
    enables: 'Lets customers reach this person directly from a website through their own Interact code (needs Instant Messaging too).',
  },
};

export const CHANNEL_LABEL: Record<ChannelKind, string> = { interact: 'Website (Interact)', whatsapp: 'WhatsApp', sms: 'SMS' };

/** The channels a service has set up (whether or not its licenses allow them). */
export function configuredChannels(s: ServiceConfig): ChannelKind[] {
  return [
    ...(s.im.interact ? (['interact'] as const) : []),
    ...(s.im.whatsapp ? (['whatsapp'] as const) : []),
    ...(s.im.whatsapp?.sms ? (['sms'] as const) : []),
  ];
}

/** Each configured channel with whether customers can reach the service through it, and why not. */
export function channelStatus(s: ServiceConfig): { channel: ChannelKind; ok: boolean; why?: string }[] {
  return configuredChannels(s).map((channel) => {
    const d = mayServiceUseChannel(s, channel);
    return d.allowed ? { channel, ok: true } : { channel, ok: false, why: d.message };
  });
}

/** A service as the services list shows it (the shape of `GET /api/admin/services`). */
export function entryOf(s: ServiceConfig): AdminServiceEntry {
  return { id: s.id, name: s.name, imEnabled: s.im.enabled, channels: configuredChannels(s), members: s.members.length, access: 'all' };
}

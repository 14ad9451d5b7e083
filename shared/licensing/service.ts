/**
 * Service licensing (seed: "Licensing"): the Contact Center license on a service enables IM
 * workflows and the WhatsApp channel; the Interact service add-on enables the service's
 * Interact channel.
 */
import type { ChannelKind, ServiceConfig } from '../tenant/model';
import { ALLOWED, deny, type Decision } from './decision';

/** May the service run IM tasks through an IM workflow at all? */
export function mayServiceUseIm(service: ServiceConfig): Decision {
  if (!service.licenses.includes('contactCenter')) {
    return deny(
      'serviceNeedsContactCenter',
      `Service "${service.name}" needs the Contact Center license to run Instant Messaging workflows.`,
    );
  }
  if (!service.im.enabled) return deny('imDisabled', `Instant Messaging is turned off for service "${service.name}".`);
  if (!service.im.workflowId) return deny('noWorkflow', `Service "${service.name}" has no IM workflow selected.`);
  return ALLOWED;
}

/** May customers reach the service through this channel? */
export function mayServiceUseChannel(service: ServiceConfig, channel: ChannelKind): Decision {
  const im = mayServiceUseIm(service);
  if (!im.allowed) return im;
  if (channel === 'interact') {
    if (!service.licenses.includes('interact')) {
      return deny('serviceNeedsInteract', `Service "${service.name}" needs the Interact add-on license for website chats.`);
    }
    if (!service.im.interact) return deny('channelNotConfigured', `Service "${service.name}" has no Interact code configured.`);
    return ALLOWED;
  }
  // WhatsApp and SMS come with the Contact Center license (checked above) and need a sender.
  if (!service.im.whatsapp) return deny('channelNotConfigured', `Service "${service.name}" has no WhatsApp sender configured.`);
  if (channel === 'sms' && !service.im.whatsapp.sms) return deny('channelNotConfigured', `Service "${service.name}" does not take SMS.`);
  return ALLOWED;
}

/**
 * User licensing (seed: "Licensing"): the IM modality license is needed to receive IM tasks; the
 * Interact User license lets customers reach a user directly through Interact.
 */
import type { UserConfig } from '../tenant/model';
import { ALLOWED, deny, type Decision } from './decision';

/** May the user receive IM tasks (from any service or directly)? */
export function mayUserReceiveIm(user: UserConfig): Decision {
  if (!user.licenses.includes('im')) {
    return deny('userNeedsIm', `${user.displayName} needs the Instant Messaging license to receive chats.`);
  }
  return ALLOWED;
}

/** May customers reach the user directly through the user's own Interact code? */
export function mayContactUserDirectly(user: UserConfig): Decision {
  const im = mayUserReceiveIm(user);
  if (!im.allowed) return im;
  if (!user.licenses.includes('interactUser')) {
    return deny('userNeedsInteractUser', `${user.displayName} needs the Interact User license to be reached directly from a website.`);
  }
  if (!user.interact) return deny('userHasNoInteractCode', `${user.displayName} has no Interact code configured.`);
  return ALLOWED;
}

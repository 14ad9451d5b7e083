import { service, user } from '../testing/fixtures';
import type { ServiceConfig } from '../tenant/model';
import { mayServiceUseChannel, mayServiceUseIm } from './service';
import { mayContactUserDirectly, mayUserReceiveIm } from './user';

const withIm = (over: Partial<ServiceConfig> = {}, im: Partial<ServiceConfig['im']> = {}): ServiceConfig => {
  const s = service('s', []);
  return { ...s, ...over, im: { ...s.im, interact: { code: 's', allowedOrigins: [] }, whatsapp: { sender: 'whatsapp:+15550100' }, ...im } };
};

describe('licensing', () => {
  it('the Contact Center license enables IM workflows', () => {
    expect(mayServiceUseIm(withIm()).allowed).toBe(true);
    expect(mayServiceUseIm(withIm({ licenses: ['interact'] }))).toMatchObject({
      allowed: false,
      reason: 'serviceNeedsContactCenter',
      message: expect.stringContaining('Contact Center license'),
    });
    expect(mayServiceUseIm(withIm({}, { enabled: false }))).toMatchObject({ allowed: false, reason: 'imDisabled' });
    expect(mayServiceUseIm(withIm({}, { workflowId: '' }))).toMatchObject({ allowed: false, reason: 'noWorkflow' });
  });

  it('the Contact Center license enables WhatsApp; without it there is no WhatsApp', () => {
    expect(mayServiceUseChannel(withIm({ licenses: ['contactCenter'] }), 'whatsapp').allowed).toBe(true);
    expect(mayServiceUseChannel(withIm({ licenses: ['interact'] }), 'whatsapp')).toMatchObject({
      allowed: false,
      reason: 'serviceNeedsContactCenter',
    });
    expect(mayServiceUseChannel(withIm({}, { whatsapp: undefined }), 'whatsapp')).toMatchObject({
      allowed: false,
      reason: 'channelNotConfigured',
    });
    expect(mayServiceUseChannel(withIm(), 'sms')).toMatchObject({ allowed: false, reason: 'channelNotConfigured' });
  });

  it("the Interact add-on enables the service's Interact channel", () => {
    expect(mayServiceUseChannel(withIm(), 'interact').allowed).toBe(true);
    expect(mayServiceUseChannel(withIm({ licenses: ['contactCenter'] }), 'interact')).toMatchObject({
      allowed: false,
      reason: 'serviceNeedsInteract',
      message: expect.stringContaining('Interact add-on'),
    });
  });

  it('the IM modality license is needed to receive IM tasks', () => {
    expect(mayUserReceiveIm(user('a')).allowed).toBe(true);
    expect(mayUserReceiveIm(user('a', { licenses: [] }))).toMatchObject({
      allowed: false,
      reason: 'userNeedsIm',
      message: expect.stringContaining('Instant Messaging license'),
    });
  });

  it('the Interact User license lets customers reach a user directly', () => {
    const code = { code: 'a', allowedOrigins: [] };
    expect(mayContactUserDirectly(user('a', { licenses: ['im', 'interactUser'], interact: code })).allowed).toBe(true);
    expect(mayContactUserDirectly(user('a', { licenses: ['im'], interact: code }))).toMatchObject({
      allowed: false,
      reason: 'userNeedsInteractUser',
    });
    expect(mayContactUserDirectly(user('a', { licenses: ['interactUser'], interact: code }))).toMatchObject({
      allowed: false,
      reason: 'userNeedsIm',
    });
    expect(mayContactUserDirectly(user('a', { licenses: ['im', 'interactUser'] }))).toMatchObject({
      allowed: false,
      reason: 'userHasNoInteractCode',
    });
  });
});

import { demoTenant } from './demo';
import { parseTenant, validateTenant } from './validate';

const good = () => JSON.parse(JSON.stringify(demoTenant())) as Record<string, any>;

describe('tenant validation', () => {
  it('the demo tenant is valid', () => {
    expect(validateTenant(demoTenant())).toEqual([]);
  });

  it('refuses a direct Interact code without the Interact User license, and checks owners and the widget settings', () => {
    const t = good();
    t.users[0].interact = { code: 'alice', allowedOrigins: [], color: 'red', language: 'es', title: 'x'.repeat(81) };
    t.services[0].owners = ['ghost'];
    const r = parseTenant(t);
    expect(r.ok).toBe(false);
    const paths = r.ok ? [] : r.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'users[0].interact',
        'users[0].interact.color',
        'users[0].interact.language',
        'users[0].interact.title',
        'services[0].owners[0]',
      ]),
    );
  });

  it('fills defaults', () => {
    const raw = {
      id: 't',
      name: 'T',
      users: [{ id: 'a', upn: 'A@x.com', displayName: 'A', licenses: ['im'] }],
      services: [{ id: 's', name: 'S', licenses: ['contactCenter'], members: ['a'], im: { enabled: true, workflowId: 'default-im' } }],
    };
    const r = parseTenant(raw);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.tenant.users[0]).toMatchObject({ upn: 'a@x.com', presence: 'online', onDuty: true });
    expect(r.tenant.services[0]?.im.distribution).toMatchObject({
      type: 'direct',
      offerTimeoutSec: 30,
      maxConcurrentIm: 3,
      broadcastSize: 10,
      persistentRona: { enabled: false, resetSec: 600 },
    });
    expect(r.tenant.services[0]?.openingHours.weekly).toHaveLength(7);
    expect(r.tenant.workflows.map((w) => w.id)).toContain('default-im');
  });

  it('reports every problem with its path, not just the first', () => {
    const t = good();
    t.services[1].im.workflowId = 'x';
    t.services[0].members.push({ userId: 'ghost' });
    t.services[0].im.distribution.offerTimeoutSec = 1;
    t.services[0].openingHours.timeZone = 'Mars/Olympus';
    t.users[0].upn = 'not an upn';
    t.users[1].interact.code = 'support';
    t.services[0].im.interact.allowedOrigins = ['https://ok.example.com', 'https://bad.example.com/path'];
    const r = parseTenant(t);
    expect(r.ok).toBe(false);
    const lines = r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'services[1].im.workflowId: unknown workflow "x"',
        'services[0].members[2]: unknown user "ghost"',
        'services[0].im.distribution.offerTimeoutSec: must be a whole number from 5 to 600',
        'services[0].openingHours.timeZone: unknown time zone "Mars/Olympus"',
        expect.stringMatching(/^users\[0\]\.upn: "not an upn" is not a user principal name/),
        'users[1].interact.code: Interact code "support" is already used',
        expect.stringMatching(/^services\[0\]\.im\.interact\.allowedOrigins\[1\]: /),
      ]),
    );
    expect(lines.length).toBeGreaterThanOrEqual(7);
  });

  it('refuses a workflow with a voice-only activity for an IM service, naming activity and node', () => {
    const t = good();
    t.workflows = [
      {
        id: 'voice',
        name: 'Voice',
        start: 'a',
        nodes: {
          a: { activity: 'accept', exits: { next: 'm' } },
          m: { activity: 'playMusic', exits: { next: 'd' } },
          d: { activity: 'disconnect' },
        },
      },
    ];
    t.services[0].im.workflowId = 'voice';
    const r = parseTenant(t);
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : r.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    expect(text).toMatch(/services\[0\]\.im\.workflowId: .*playMusic/);
    expect(text).toMatch(/nodes\.m/);
  });

  it('a RONA reset time outside 10 s to 8 h is refused', () => {
    const t = good();
    t.services[0].im.distribution.persistentRona = { enabled: true, resetSec: 5 };
    const r = parseTenant(t);
    expect(r.ok ? [] : r.problems.map((p) => p.path)).toContain('services[0].im.distribution.persistentRona.resetSec');
  });

  it('the direct-chat wait is read when given, left to its default when absent, and refused outside 10 s to 1 h', () => {
    const absent = parseTenant(good());
    expect(absent.ok && absent.tenant.directChatWaitSec).toBe(undefined);
    const t = good();
    t.directChatWaitSec = 90;
    const given = parseTenant(t);
    expect(given.ok && given.tenant.directChatWaitSec).toBe(90);
    for (const bad of [5, 7200, 1.5, '60']) {
      t.directChatWaitSec = bad;
      const r = parseTenant(t);
      expect(r.ok ? [] : r.problems.map((p) => p.path)).toContain('directChatWaitSec');
    }
  });
});

describe('chat and Teams settings', () => {
  const withChat = (chat: unknown, teams?: unknown) => {
    const t = JSON.parse(JSON.stringify(demoTenant())) as { services: { im: Record<string, unknown> }[]; teams?: unknown };
    t.services[0]!.im.chat = chat;
    if (teams !== undefined) t.teams = teams;
    return parseTenant(t);
  };

  test('valid settings are kept, keywords lower-cased', () => {
    const r = withChat(
      {
        inactivity: { customerWarnSec: 120, customerCloseSec: 60, agentFlagSec: 90 },
        wrapUp: { seconds: 30, reasons: ['Callback promised'] },
        cannedResponses: [{ id: 'hello', title: 'Greeting', text: 'Hello {customer}, I am {agent}.' }],
        endKeywords: ['STOP', 'Ende'],
      },
      { installForMembers: false, activityFeed: true },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.tenant.services[0]!.im.chat).toEqual({
      inactivity: { customerWarnSec: 120, customerCloseSec: 60, agentFlagSec: 90 },
      wrapUp: { seconds: 30, reasons: ['Callback promised'] },
      cannedResponses: [{ id: 'hello', title: 'Greeting', text: 'Hello {customer}, I am {agent}.' }],
      endKeywords: ['stop', 'ende'],
    });
    expect(r.tenant.teams).toEqual({ installForMembers: false, activityFeed: true });
  });

  test('each problem is named by its path', () => {
    const r = withChat({
      inactivity: { customerWarnSec: 5, customerCloseSec: 60 },
      wrapUp: { seconds: -1, reasons: ['handled', ''] },
      cannedResponses: [
        { id: 'a', title: 'A', text: 'x' },
        { id: 'a', title: 'B', text: 'y' },
        { id: 'Bad Id', title: 'C', text: 'z' },
      ],
      endKeywords: ['two words'],
    });
    expect(r.ok).toBe(false);
    const paths = r.ok ? [] : r.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'services[0].im.chat.inactivity.customerWarnSec',
        'services[0].im.chat.inactivity.customerCloseSec',
        'services[0].im.chat.wrapUp.seconds',
        'services[0].im.chat.wrapUp.reasons[0]',
        'services[0].im.chat.wrapUp.reasons[1]',
        'services[0].im.chat.cannedResponses[1].id',
        'services[0].im.chat.cannedResponses[2].id',
        'services[0].im.chat.endKeywords[0]',
      ]),
    );
  });
});

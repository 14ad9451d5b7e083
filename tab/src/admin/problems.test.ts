import { locate, mergeProblems, problemsAt, stillApplies, valueAt } from './problems';

describe('problem paths', () => {
  it('places a service problem on the tab of its field, and a tenant problem on its section', () => {
    expect(locate('services[1].im.interact.code')).toEqual({ section: 'services', serviceIndex: 1, tab: 'interact' });
    expect(locate('services[0].openingHours.weekly[3].from')).toEqual({ section: 'services', serviceIndex: 0, tab: 'hours' });
    expect(locate('services[2].im.whatsapp')).toEqual({ section: 'services', serviceIndex: 2, tab: 'whatsapp' });
    expect(locate('services[0].members[1]')).toEqual({ section: 'services', serviceIndex: 0, tab: 'members' });
    expect(locate('users[4].upn')).toEqual({ section: 'users' });
    expect(locate('twilio.accountSid')).toEqual({ section: 'twilio' });
    expect(locate('workflows[0].nodes.a.exits.next')).toEqual({ section: 'workflows' });
  });
  it('leaves a problem no field shows to the summary', () => {
    expect(locate('webRequests.allowedHosts[0]')).toBeUndefined();
    expect(locate('services[0].im')).toBeUndefined();
    expect(locate('')).toBeUndefined();
  });
  it('gives a field its own problems and those under it; "=" means that path only', () => {
    const ps = [
      { path: 'services[0].im.interact', message: 'a' },
      { path: 'services[0].im.interact.code', message: 'b' },
      { path: 'services[0].im.interactX', message: 'c' },
    ];
    expect(problemsAt(ps, 'services[0].im.interact').map((p) => p.message)).toEqual(['a', 'b']);
    expect(problemsAt(ps, '=services[0].im.interact').map((p) => p.message)).toEqual(['a']);
  });
  it('keeps a server problem while its value is unchanged, and drops it once it is edited', () => {
    const sent = { services: [{ name: 'A', im: { interact: { code: 'x' } } }] };
    const edited = { services: [{ name: 'B', im: { interact: { code: 'x' } } }] };
    const ps = [
      { path: 'services[0].im.interact.code', message: 'taken' },
      { path: 'services[0].name', message: 'bad' },
    ];
    expect(valueAt(sent, 'services[0].im.interact.code')).toBe('x');
    expect(stillApplies(ps, sent, edited)).toEqual([ps[0]]);
    expect(mergeProblems(ps, [ps[0]!])).toEqual(ps);
  });
});

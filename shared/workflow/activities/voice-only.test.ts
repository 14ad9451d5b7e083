import { start } from './test-kit';

test.each(['playMusic', 'voiceMessage', 'forward', 'standbyDuty', 'virtualUser', 'announcement'])(
  '%s ends an IM session failed',
  (activity) => {
    const r = start({
      id: 'w',
      name: 'W',
      start: 'a',
      nodes: { a: { activity: 'accept', exits: { next: 'v' } }, v: { activity, exits: { next: 'b' } }, b: { activity: 'disconnect' } },
    });
    expect(r.snapshot).toMatchObject({ status: 'ended', outcome: 'failed' });
    expect(r.effects.at(-1)).toEqual({ type: 'end', outcome: 'failed', disconnect: true });
  },
);

import type { OpeningHours } from '../../tenant/model';
import { hoursAt } from './check-opening-hours';
import { around, ctx, exitTaken, start, T0 } from './test-kit';

// T0 is Wednesday 25 Nov 2026 10:00 UTC = 11:00 in Zurich.
const zurich: OpeningHours = { timeZone: 'Europe/Zurich', weekly: [{ day: 3, from: '08:00', to: '12:00' }], exceptions: [] };

function withHours(hours: OpeningHours, now = T0) {
  const c = ctx({ now });
  return { ...c, service: { ...c.service, openingHours: hours } };
}

describe('checkOpeningHours', () => {
  const def = around({ activity: 'checkOpeningHours' }, ['open', 'closed', 'holiday']);
  it("open within the weekly hours in the calendar's time zone", () => {
    expect(exitTaken(start(def, withHours(zurich)))).toBe('open');
  });
  it('closed outside them (12:00 Zurich is closing time)', () => {
    expect(exitTaken(start(def, withHours(zurich, T0 + 3_600_000)))).toBe('closed');
    expect(hoursAt(zurich, T0 + 86_400_000).state).toBe('closed'); // Thursday
  });
  it('a holiday exception closes the day and names it', () => {
    const r = start(def, withHours({ ...zurich, exceptions: [{ date: '2026-11-25', name: 'Founders Day', kind: 'holiday' }] }));
    expect(exitTaken(r)).toBe('holiday');
    expect(r.snapshot.params['OpeningHours.Holiday']).toBe('Founders Day');
  });
  it("an open exception replaces the day's hours", () => {
    const h: OpeningHours = {
      ...zurich,
      exceptions: [{ date: '2026-11-25', name: 'Short day', kind: 'open', hours: [{ from: '08:00', to: '09:00' }] }],
    };
    expect(exitTaken(start(def, withHours(h)))).toBe('closed');
  });
  it('without a holiday exit a holiday leaves through closed', () => {
    const d = around({ activity: 'checkOpeningHours' }, ['open', 'closed']);
    expect(exitTaken(start(d, withHours({ ...zurich, exceptions: [{ date: '2026-11-25', name: 'X', kind: 'holiday' }] })))).toBe('closed');
  });
  it('"24:00" closes at midnight, and every day and hour open means open at any time', () => {
    const allDay: OpeningHours = {
      timeZone: 'Asia/Tokyo',
      weekly: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, from: '00:00', to: '24:00' })),
      exceptions: [],
    };
    for (let h = 0; h < 24 * 7; h += 5) expect(hoursAt(allDay, T0 + h * 3_600_000).state).toBe('open');
    // 23:59 local on Wednesday in Zurich, with hours until midnight.
    const late: OpeningHours = { timeZone: 'Europe/Zurich', weekly: [{ day: 3, from: '20:00', to: '24:00' }], exceptions: [] };
    expect(hoursAt(late, Date.UTC(2026, 10, 25, 22, 59)).state).toBe('open');
    expect(hoursAt(late, Date.UTC(2026, 10, 25, 23, 0)).state).toBe('closed'); // Thursday 00:00
  });
});

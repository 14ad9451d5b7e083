/** The catalog covers every activity, and a form filled in field by field is accepted by the activity. */
import { ACTIVITIES } from '../../../../shared/workflow/activities/registry';
import { ACTIVITY_CATALOG, activityInfo, paletteGroups, type SettingsField } from './activity-catalog';

function sample(f: SettingsField): unknown {
  switch (f.type) {
    case 'text':
      return f.key === 'url' ? 'https://example.com/' : f.key === 'pattern' ? '^\\d+$' : 'x';
    case 'number':
      return f.min;
    case 'select':
      return f.options[0];
    case 'service':
      return 'sales';
    case 'list':
      return [f.newRow(0)];
    case 'map':
      return { A: 'b' };
  }
}

describe('activity catalog', () => {
  it('has an entry for every activity of the registry and none other', () => {
    expect(Object.keys(ACTIVITY_CATALOG).sort()).toEqual(Object.keys(ACTIVITIES).sort());
  });

  it.each(Object.keys(ACTIVITIES))('%s: the form, filled in, is a valid set of parameters', (kind) => {
    const params = Object.fromEntries(ACTIVITY_CATALOG[kind]!.fields.map((f) => [f.key, sample(f)]));
    expect(ACTIVITIES[kind]!.validate(params)).toEqual([]);
  });

  it.each(Object.keys(ACTIVITIES))('%s: a required field left empty is reported by the activity', (kind) => {
    for (const f of ACTIVITY_CATALOG[kind]!.fields.filter((x) => x.required)) {
      const params = Object.fromEntries(ACTIVITY_CATALOG[kind]!.fields.filter((x) => x !== f).map((x) => [x.key, sample(x)]));
      expect(ACTIVITIES[kind]!.validate(params).join(' ')).toContain(`"${f.key}"`);
    }
  });

  it('puts voice-only activities in their own palette group, last', () => {
    const groups = paletteGroups();
    expect(groups.at(-1)).toEqual({ group: 'voice', kinds: Object.keys(ACTIVITIES).filter((k) => !ACTIVITIES[k]!.imSupported) });
    expect(groups.flatMap((g) => g.kinds).sort()).toEqual(Object.keys(ACTIVITIES).sort());
  });

  it('names unknown activities by their kind', () => {
    expect(activityInfo('frobnicate').label).toBe('frobnicate');
  });
});

/**
 * The problems of the working copy at the top of the page: in full those no field shows, and for
 * the others where they are (a button goes there).
 */
import { Button, MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import type { ConfigProblem } from '@stratus/shared/contract/admin';
import { formatProblem } from '@stratus/shared/util/problems';
import { locate, type Location } from './problems';

const useStyles = makeStyles({
  list: { margin: `${tokens.spacingVerticalXS} 0`, paddingLeft: tokens.spacingHorizontalL },
  places: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
});

export function ProblemSummary({
  problems,
  describe,
  onGo,
}: {
  problems: readonly ConfigProblem[];
  /** A place's name, e.g. "Billing › Interact". */
  describe: (l: Location) => string;
  onGo: (l: Location) => void;
}) {
  const s = useStyles();
  if (problems.length === 0) return null;
  const unmatched = problems.filter((p) => !locate(p.path));
  const places = new Map<string, { at: Location; n: number }>();
  for (const p of problems) {
    const at = locate(p.path);
    if (!at) continue;
    const k = describe(at);
    places.set(k, { at, n: (places.get(k)?.n ?? 0) + 1 });
  }
  const n = problems.length;
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>
          {n} problem{n === 1 ? '' : 's'} to fix before saving
        </MessageBarTitle>
        {unmatched.length > 0 && (
          <ul className={s.list}>
            {unmatched.map((p, i) => (
              <li key={i}>{formatProblem(p)}</li>
            ))}
          </ul>
        )}
        {places.size > 0 && (
          <span className={s.places}>
            Shown beside their fields in:
            {[...places].map(([k, v]) => (
              <Button key={k} size="small" appearance="secondary" onClick={() => onGo(v.at)}>
                {k} ({v.n})
              </Button>
            ))}
          </span>
        )}
      </MessageBarBody>
    </MessageBar>
  );
}

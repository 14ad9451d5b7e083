import { Button, Input, Text, makeStyles, tokens } from '@fluentui/react-components';
import { messageOf, useProblems } from '../ProblemsContext';
import { useFormStyles } from './form.styles';

const useStyles = makeStyles({
  range: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  time: { width: '80px', minWidth: 0 },
});

/** One `from–to` range of opening hours (a weekly row or an exception), with its problems. */
export function TimeRange(p: {
  label: string;
  path: string;
  from: string;
  to: string;
  onFrom: (v: string) => void;
  onTo: (v: string) => void;
  onRemove: () => void;
}) {
  const s = useFormStyles();
  const own = useStyles();
  const problem = messageOf(useProblems(p.path));
  return (
    <li>
      <div className={own.range}>
        <Input
          className={own.time}
          size="small"
          value={p.from}
          placeholder="08:00"
          aria-label={`${p.label} opens at`}
          onChange={(_e, d) => p.onFrom(d.value)}
        />
        <Text aria-hidden>–</Text>
        <Input
          className={own.time}
          size="small"
          value={p.to}
          placeholder="17:00"
          aria-label={`${p.label} closes at`}
          onChange={(_e, d) => p.onTo(d.value)}
        />
        <Button size="small" onClick={p.onRemove} aria-label={`Remove ${p.label} ${p.from}–${p.to}`}>
          Remove
        </Button>
      </div>
      {problem && (
        <Text size={200} className={s.danger}>
          {problem}
        </Text>
      )}
    </li>
  );
}

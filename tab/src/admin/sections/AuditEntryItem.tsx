/** One audit entry: when, who, what, and (expanded) each changed path with before and after. */
import {
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { AuditEntry } from '@stratus/shared/contract/admin';

const useStyles = makeStyles({
  value: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
});

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v, null, 1));

export function AuditEntryItem({ entry: e }: { entry: AuditEntry }) {
  const s = useStyles();
  return (
    <AccordionItem value={e.id}>
      <AccordionHeader>
        <span>
          <Text weight="semibold">{new Date(e.at).toLocaleString()}</Text> · {e.actorName ?? e.actor} · {e.action} · {e.target}
          {e.revision !== undefined ? ` · r${e.revision}` : ''}
          <Text block size={200} className={s.muted}>
            {e.summary}
          </Text>
        </span>
      </AccordionHeader>
      <AccordionPanel>
        {e.changes.length === 0 ? (
          <Text className={s.muted}>No field changed.</Text>
        ) : (
          <Table size="small" aria-label={`Changes at ${new Date(e.at).toLocaleString()}`}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Field</TableHeaderCell>
                <TableHeaderCell>Before</TableHeaderCell>
                <TableHeaderCell>After</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {e.changes.map((c, i) => (
                <TableRow key={i}>
                  <TableCell className={s.value}>{c.path}</TableCell>
                  <TableCell className={s.value}>{show(c.before)}</TableCell>
                  <TableCell className={s.value}>{show(c.after)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </AccordionPanel>
    </AccordionItem>
  );
}

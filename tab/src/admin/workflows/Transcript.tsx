/** What the test run's workflow said, what the simulated customer answered, and notes on what the host did. */
import { mergeClasses } from '@fluentui/react-components';
import type { TranscriptLine } from './simulation';
import { useTestRunStyles } from './TestRunPanel.styles';

export function Transcript({ lines, serviceName }: { lines: readonly TranscriptLine[]; serviceName: string }) {
  const styles = useTestRunStyles();
  return (
    <ol className={styles.transcript} role="log" aria-label="Transcript" aria-live="polite">
      {lines.length === 0 && <li className={styles.note}>Nothing said yet.</li>}
      {lines.map((line, i) =>
        line.from === 'note' ? (
          <li key={i} className={styles.note}>
            {line.text}
          </li>
        ) : (
          <li key={i} className={mergeClasses(styles.bubble, line.from === 'customer' ? styles.customer : styles.workflow)}>
            <span className={styles.who}>{line.from === 'customer' ? 'Customer' : serviceName}</span>
            {line.text}
          </li>
        ),
      )}
    </ol>
  );
}

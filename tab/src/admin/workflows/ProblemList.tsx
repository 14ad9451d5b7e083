/** The open workflow's problems under the graph, each naming its node; choosing one selects the node. */
import { useId } from 'react';
import { Badge, Link, Text } from '@fluentui/react-components';
import type { LocatedProblem } from './problem-paths';
import { useProblemListStyles } from './ProblemList.styles';

export interface ProblemListProps {
  problems: readonly LocatedProblem[];
  onSelectNode(id: string): void;
}

const ORIGIN_BADGE: Record<LocatedProblem['origin'], { text: string; color: 'danger' | 'warning' | 'informative' } | undefined> = {
  validation: undefined,
  im: { text: 'Not for IM', color: 'warning' },
  server: { text: 'Server, at the last save', color: 'informative' },
};

export function ProblemList({ problems, onSelectNode }: ProblemListProps) {
  const styles = useProblemListStyles();
  const headingId = useId();
  return (
    <section className={styles.root} aria-labelledby={headingId}>
      <h3 id={headingId} className={styles.heading}>
        {problems.length === 0 ? 'Problems' : `Problems (${problems.length})`}
      </h3>
      {problems.length === 0 ? (
        <Text className={styles.ok}>No problems: the workflow is complete and fit for Instant Messaging.</Text>
      ) : (
        <ul className={styles.list}>
          {problems.map((p, i) => {
            const badge = ORIGIN_BADGE[p.origin];
            const nodeId = p.nodeId;
            const messageId = `${headingId}-${i}`;
            return (
              <li key={p.key} className={styles.item}>
                {nodeId !== undefined ? (
                  <Link
                    as="button"
                    className={styles.node}
                    onClick={() => onSelectNode(nodeId)}
                    aria-describedby={messageId}
                    title="Select this activity"
                  >
                    {nodeId}
                  </Link>
                ) : (
                  <Text className={styles.node}>{p.path === '' ? 'Workflow' : p.path}</Text>
                )}
                <Text id={messageId} className={styles.message}>
                  {p.where ? `${p.where}: ` : ''}
                  {p.message}
                </Text>
                {badge && (
                  <Badge size="small" appearance="tint" color={badge.color}>
                    {badge.text}
                  </Badge>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** One activity on the graph: its kind, icon and name, badges (start, problems, not for IM) and a labelled handle per exit. */
import { memo, useEffect } from 'react';
import { Badge, mergeClasses } from '@fluentui/react-components';
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { ActivityIcon } from './ActivityIcon';
import { useActivityNodeStyles } from './ActivityNode.styles';
import type { ActivityFlowNode } from './graph-model';
import { nodeWidth } from './layout';

function ActivityNodeView({ id, data, selected }: NodeProps<ActivityFlowNode>) {
  const styles = useActivityNodeStyles();
  const updateNodeInternals = useUpdateNodeInternals();
  const exitKey = data.exits.map((e) => e.name).join('\n');
  // Handles come and go with the parameters (menu options): xyflow must measure them again.
  useEffect(() => updateNodeInternals(id), [exitKey, id, updateNodeInternals]);
  const n = data.exits.length;
  return (
    <div
      className={mergeClasses(styles.root, styles[data.group], selected && styles.selected, data.problems > 0 && styles.problem)}
      style={{ width: nodeWidth(n) }}
      data-problems={data.problems}
    >
      <Handle type="target" position={Position.Top} id="in" isConnectableStart={false} className={styles.handle} />
      <div className={styles.header}>
        <ActivityIcon group={data.group} className={styles[`icon${data.group}`]} />
        <span className={styles.kind}>{data.label}</span>
        {data.isStart && (
          <Badge size="small" appearance="tint" color="brand">
            Start
          </Badge>
        )}
        {data.notForIm && (
          <Badge size="small" appearance="tint" color="warning">
            Not for IM
          </Badge>
        )}
        {data.problems > 0 && (
          <Badge size="small" color="danger" title={`${data.problems} problem${data.problems === 1 ? '' : 's'}`}>
            {data.problems}
          </Badge>
        )}
      </div>
      <div className={styles.name} title={id}>
        {id}
      </div>
      {n > 0 && (
        <div className={styles.exits}>
          {data.exits.map((e, i) => (
            <span
              key={e.name}
              className={mergeClasses(styles.exit, e.required && !e.connected && styles.exitMissing, !e.known && styles.exitUnknown)}
              title={e.required && !e.connected ? `${e.name} (not connected)` : e.name}
            >
              {e.name}
              <Handle
                type="source"
                position={Position.Bottom}
                id={e.name}
                isConnectable={!data.readOnly}
                className={mergeClasses(styles.handle, !e.connected && styles.handleOpen)}
                style={{ left: `${((i + 0.5) / n) * 100}%` }}
                title={`Exit ${e.name}: drag to an activity to connect`}
              />
            </span>
          ))}
        </div>
      )}
    </div>
  );
}

/** The node type `activity` of the workflow graph. */
export const ActivityNode = memo(ActivityNodeView);

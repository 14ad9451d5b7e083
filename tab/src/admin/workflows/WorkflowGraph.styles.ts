/**
 * The graph's frame, and xyflow's default theme mapped onto Fluent tokens: style.css reads these
 * `--xy-*` variables before its own defaults, so light, dark and high-contrast themes all apply.
 */
import { makeStyles, tokens } from '@fluentui/react-components';

export const useWorkflowGraphStyles = makeStyles({
  frame: {
    position: 'relative',
    height: '520px',
    minHeight: '320px',
    resize: 'vertical',
    overflow: 'hidden',
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    '--xy-background-color': tokens.colorNeutralBackground2,
    '--xy-background-pattern-color': tokens.colorNeutralStroke2,
    '--xy-edge-stroke': tokens.colorNeutralForeground3,
    '--xy-edge-stroke-width': '1.5',
    '--xy-edge-stroke-selected': tokens.colorBrandStroke1,
    '--xy-connectionline-stroke': tokens.colorBrandStroke1,
    '--xy-connectionline-stroke-width': '2',
    '--xy-edge-label-background-color': tokens.colorNeutralBackground1,
    '--xy-edge-label-color': tokens.colorNeutralForeground1,
    '--xy-handle-background-color': tokens.colorNeutralForeground2,
    '--xy-handle-border-color': tokens.colorNeutralBackground1,
    '--xy-node-color': tokens.colorNeutralForeground1,
    '--xy-node-background-color': tokens.colorNeutralBackground1,
    '--xy-node-border': `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    '--xy-selection-background-color': tokens.colorSubtleBackgroundSelected,
    '--xy-selection-border': `${tokens.strokeWidthThin} dotted ${tokens.colorBrandStroke1}`,
    '--xy-controls-button-background-color': tokens.colorNeutralBackground1,
    '--xy-controls-button-background-color-hover': tokens.colorNeutralBackground1Hover,
    '--xy-controls-button-color': tokens.colorNeutralForeground1,
    '--xy-controls-button-color-hover': tokens.colorNeutralForeground1Hover,
    '--xy-controls-button-border-color': tokens.colorNeutralStroke2,
    '--xy-controls-box-shadow': tokens.shadow4,
    '--xy-attribution-background-color': tokens.colorNeutralBackground1,
    // style.css hides the focus ring of nodes and edges; keyboard users need one.
    '& .react-flow__node.selectable:focus-visible': {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      outlineOffset: '3px',
      borderRadius: tokens.borderRadiusMedium,
    },
    '& .react-flow__edge.selectable:focus-visible .react-flow__edge-path': { stroke: tokens.colorStrokeFocus2, strokeWidth: '3px' },
    '& .react-flow__edge.selected .react-flow__edge-path': { strokeWidth: '2.5px' },
    '& .react-flow__attribution a': { color: tokens.colorNeutralForeground3 },
    '& .react-flow__controls-button svg': { fill: 'currentColor' },
  },
});

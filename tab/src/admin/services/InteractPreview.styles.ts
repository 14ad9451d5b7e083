import { makeStyles, tokens } from '@fluentui/react-components';

export const usePreviewStyles = makeStyles({
  frame: {
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusLarge,
    background: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    padding: tokens.spacingHorizontalM,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    width: '320px',
    maxWidth: '100%',
    boxShadow: tokens.shadow8,
  },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  greeting: { margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  intro: { margin: 0, color: tokens.colorNeutralForeground3 },
  label: { fontWeight: tokens.fontWeightSemibold, marginTop: tokens.spacingVerticalXS },
  optional: { fontWeight: tokens.fontWeightRegular, color: tokens.colorNeutralForeground3 },
  consent: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-start', fontSize: tokens.fontSizeBase200 },
  start: { alignSelf: 'flex-start', marginTop: tokens.spacingVerticalS, color: tokens.colorNeutralForegroundOnBrand },
});

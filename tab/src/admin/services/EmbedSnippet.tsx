/** The script tag a website embeds, with a Copy button, and the widget's own page for a quick try. */
import { useState } from 'react';
import { Button, Link, Text, makeStyles, tokens } from '@fluentui/react-components';
import { embedSnippet } from './widgetText';

const useStyles = makeStyles({
  code: {
    display: 'block',
    padding: tokens.spacingHorizontalS,
    background: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground1,
    borderRadius: tokens.borderRadiusMedium,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    overflowWrap: 'anywhere',
    whiteSpace: 'pre-wrap',
  },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', marginTop: tokens.spacingVerticalS },
});

export function EmbedSnippet({ origin, code }: { origin: string; code: string }) {
  const s = useStyles();
  const [status, setStatus] = useState('');
  const snippet = embedSnippet(origin, code);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(snippet);
      setStatus('Copied');
    } catch {
      setStatus('Copying did not work here: select the text and copy it.');
    }
  };
  return (
    <section aria-labelledby="embed-h">
      <Text as="h3" id="embed-h" weight="semibold" block>
        Add the chat to your website
      </Text>
      <Text block size={200}>
        Paste this before the closing body tag of each page that should show the chat.
      </Text>
      <code className={s.code} aria-label="Embed snippet">
        {snippet}
      </code>
      <div className={s.row}>
        <Button onClick={() => void copy()}>Copy</Button>
        <Text role="status">{status}</Text>
        <Link href={`${origin}/interact/${encodeURIComponent(code)}`} target="_blank" rel="noopener noreferrer">
          Open the chat page
        </Link>
      </div>
    </section>
  );
}

/** Allowed origins, one per line; keeps the text as typed (a new empty line) while the list holds the non-empty ones. */
import { useEffect, useState } from 'react';
import { Textarea, type TextareaProps } from '@fluentui/react-components';

const toList = (text: string) =>
  text
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);

export function OriginsInput({
  value,
  onValue,
  ...props
}: Omit<TextareaProps, 'value' | 'onChange'> & { value: readonly string[]; onValue: (v: string[]) => void }) {
  const [text, setText] = useState(value.join('\n'));
  useEffect(() => {
    setText((t) => (toList(t).join('\n') === value.join('\n') ? t : value.join('\n')));
  }, [value]);
  return (
    <Textarea
      {...props}
      value={text}
      resize="vertical"
      onChange={(_e, d) => {
        setText(d.value);
        onValue(toList(d.value));
      }}
    />
  );
}

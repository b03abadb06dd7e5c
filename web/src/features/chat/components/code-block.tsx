import { useRef, type ComponentPropsWithoutRef } from 'react';
import type { ExtraProps } from 'react-markdown';
import { CopyButton } from '@/components/ui/copy-button';

/** The language named by the fence (```ts), from the class rehype-highlight keeps on <code>. */
function languageOf(node: ExtraProps['node']): string | null {
  const code = node?.children[0];
  if (!code || code.type !== 'element') return null;
  const classes = code.properties.className;
  const list = Array.isArray(classes) ? classes.map(String) : [];
  const lang = list.find((c) => c.startsWith('language-'));
  return lang ? lang.slice('language-'.length) : null;
}

/** A fenced code block with its language and a copy button. */
export function CodeBlock({ node, children, ...rest }: ComponentPropsWithoutRef<'pre'> & ExtraProps) {
  const ref = useRef<HTMLPreElement>(null);
  const language = languageOf(node);
  return (
    <div className="code-block">
      <div className="code-head">
        <span className="code-lang">{language ?? 'text'}</span>
        <CopyButton getText={() => ref.current?.textContent ?? ''} label="Copy code" showLabel />
      </div>
      <pre ref={ref} {...rest}>
        {children}
      </pre>
    </div>
  );
}

import { memo } from 'react';
import ReactMarkdown, { defaultUrlTransform, type Components } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import { CodeBlock } from './code-block';

/** Only these schemes become clickable; anything else (javascript:, data:, relative paths) stays text. */
const SAFE_HREF = /^(https?:\/\/|mailto:)/i;

const components: Components = {
  a({ href, children }) {
    if (!href || !SAFE_HREF.test(href)) return <span className="md-inert-link">{children}</span>;
    return (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    );
  },
  // Remote images are never loaded (tracking, and the CSP allows only our own); link them instead.
  img({ src, alt }) {
    const label = alt || 'image';
    if (typeof src !== 'string' || !SAFE_HREF.test(src)) return <span className="md-inert-link">[{label}]</span>;
    return (
      <a href={src} target="_blank" rel="noopener noreferrer nofollow">
        [image: {label}]
      </a>
    );
  },
  pre: CodeBlock,
  table: ({ children }) => (
    <div className="md-table-wrap">
      <table>{children}</table>
    </div>
  ),
};

/**
 * Model output as Markdown. There is deliberately no rehype-raw: raw HTML in the text is
 * shown as text, never parsed, so an answer cannot inject elements, handlers or scripts.
 */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown
        rehypePlugins={[[rehypeHighlight, { detect: false }]]}
        urlTransform={defaultUrlTransform}
        components={components}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
});

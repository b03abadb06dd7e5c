/**
 * `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): old clients read the ASCII
 * name, current browsers the UTF-8 one, so a title in any script survives the download.
 */
export function attachmentHeader(filename: string): string {
  const encoded = encodeURIComponent(filename).replace(
    /['()*!]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${asciiFallback(filename)}"; filename*=UTF-8''${encoded}`;
}

/** "café-2025-01-31.md" → "cafe-2025-01-31.md"; "你好-2025-01-31.md" → "conversation-2025-01-31.md". */
function asciiFallback(filename: string): string {
  const ascii = filename
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // drop the accents, keep the letters
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+/, '');
  const stem = ascii.replace(/\.[A-Za-z0-9]+$/, '');
  return /[A-Za-z]/.test(stem) ? ascii : `conversation-${ascii}`;
}

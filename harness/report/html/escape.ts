/**
 * Everything a run writes can reach the page: a pool's error message, a session id, a URL. It is
 * escaped here, on the way in, so that it stays text (`<script>` in an error message is shown, never run).
 */

/** Text for an element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * JSON for a `<script type="application/json">` element. The parser ends a script at the first
 * `</script`, whatever JSON means; with every `<` written `\u003c` none can appear. U+2028 and
 * U+2029 are escaped too, so the text is also valid JavaScript.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Script or style text inlined from a file: it must not end its own element early. */
export function inlineable(text: string, element: 'script' | 'style'): string {
  if (new RegExp(`</${element}`, 'i').test(text)) throw new Error(`cannot inline text that contains </${element}`);
  return text;
}

import DOMPurify from 'dompurify';
import { marked } from 'marked';

/**
 * Markdown to safe HTML. Check and hint messages can quote what the learner typed (a rule, a
 * file line), so everything rendered is sanitized, not only the lab's own text.
 */
export function markdownHtml(text: string): string {
  return DOMPurify.sanitize(marked.parse(text, { async: false }));
}

/** One line of Markdown (no paragraph around it), sanitized. */
export function inlineMarkdownHtml(text: string): string {
  return DOMPurify.sanitize(marked.parseInline(text, { async: false }));
}

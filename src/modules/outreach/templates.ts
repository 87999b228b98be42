/**
 * Outreach templates: `{{variable}}` placeholders, checked when a template is saved (an unknown
 * variable is BAD_USER_INPUT then, never a surprise at send) and rendered server-side per creator.
 */
export const TEMPLATE_VARIABLES = [
  'creator.handle',
  'creator.displayName',
  'campaign.name',
  'product.title',
  'commissionRate',
  'contentDueDate',
] as const;

export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateValues = Record<TemplateVariable, string>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** What is wrong with a template text, or null: unknown variables, or braces that do not close. */
export function templateProblem(text: string): string | null {
  const unknown = [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]).filter((name) => !(TEMPLATE_VARIABLES as readonly string[]).includes(name)))];
  if (unknown.length) {
    return `unknown variable${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `{{${u}}}`).join(', ')}; known: ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ')}`;
  }
  const rest = text.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) return 'has a {{ or }} that is not part of a {{variable}}';
  return null;
}

/** The text with every placeholder replaced (the template was checked when saved). */
export function renderTemplate(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (_, name: string) => values[name as TemplateVariable] ?? '');
}

/** 1500 bps -> "15%", 1250 -> "12.5%". */
export function formatRate(bps: number): string {
  return `${(bps / 100).toFixed(2).replace(/\.?0+$/, '')}%`;
}

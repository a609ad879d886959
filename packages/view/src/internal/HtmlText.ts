/**
 * Text made safe for HTML element content and quoted attribute values: the five characters that
 * could start markup or end an attribute become entities. Nothing else is changed.
 */

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }

export const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => entities[c] ?? c)

/**
 * Lab text lives in Markdown files next to the TypeScript that checks and solves it: one file per
 * step, YAML front matter for the title, questions and hints, the instructions as the body. The
 * text names this session's addresses with placeholders, filled per session:
 *   {{machine1.lan}}  the address of machine "machine1" on network "lan"
 *   {{subnet.office}} the subnet of network "office"
 *   {{param.agentPort}} this learner's value of the lab's parameter "agentPort"
 */
import { readFileSync } from 'node:fs';
import matter from 'gray-matter';
import { z } from 'zod';
import type { LabView, StepQuestion } from './types';

const stepFront = z
  .object({
    title: z.string().min(1),
    questions: z
      .array(z.object({ id: z.string().regex(/^[a-z0-9-]{1,32}$/), prompt: z.string().min(1) }).strict())
      .optional(),
    hints: z.array(z.string().min(1)).default([]),
  })
  .strict();

const labFront = z.object({ title: z.string().min(1), summary: z.string().min(1) }).strict();

/** A step's text, as LabStep wants it. */
export interface StepText {
  title: string;
  questions?: StepQuestion[];
  instructions(view: LabView): string;
  hints(view: LabView): string[];
}

/** A lab's own text: its title, one-line summary and the introduction shown above the steps. */
export interface LabText {
  title: string;
  summary: string;
  intro(view: LabView): string;
}

const PLACEHOLDER = /\{\{\s*([a-z0-9-]+)\.([a-z0-9-]+)\s*\}\}/gi;

/** The text with every placeholder replaced by this session's value; an unknown one throws. */
export function fillPlaceholders(text: string, view: LabView): string {
  return text.replace(PLACEHOLDER, (_whole, left: string, right: string) => {
    if (left === 'subnet') return view.subnet(right);
    if (left === 'param') return view.param(right);
    return view.address(left, right);
  });
}

function parse(file: URL): { data: unknown; body: string } {
  const parsed = matter(readFileSync(file, 'utf8'));
  return { data: parsed.data, body: parsed.content.trim() };
}

function invalid(file: URL, error: z.ZodError): Error {
  return new Error(`${file.pathname}: bad front matter: ${z.prettifyError(error)}`);
}

/** Reads a step's Markdown file, e.g. `stepText(new URL('./01-tour.md', import.meta.url))`. */
export function stepText(file: URL): StepText {
  const { data, body } = parse(file);
  const front = stepFront.safeParse(data);
  if (!front.success) throw invalid(file, front.error);
  const { title, questions, hints } = front.data;
  return {
    title,
    ...(questions ? { questions } : {}),
    instructions: (view) => fillPlaceholders(body, view),
    hints: (view) => hints.map((h) => fillPlaceholders(h, view)),
  };
}

/** Reads a lab's own Markdown file (front matter: title, summary; body: the introduction). */
export function labText(file: URL): LabText {
  const { data, body } = parse(file);
  const front = labFront.safeParse(data);
  if (!front.success) throw invalid(file, front.error);
  return { ...front.data, intro: (view) => fillPlaceholders(body, view) };
}

export type { ClassSnapshot, LearnerLine } from '../../../server/classroom/classSnapshot';

export interface ClassSummary {
  id: string;
  name: string;
  joinCode: string;
  labId: string;
  createdAt: number;
  endedAt: number | null;
}

export interface LearnerDetail {
  learner: { id: string; displayName: string };
  liveSessionId: string | null;
  attempts: {
    id: number;
    stepId: string;
    at: number;
    passed: boolean;
    message: string;
    trigger: 'check' | 'auto' | 'grade' | 'reset';
  }[];
  events: { at: number; kind: string; detail: Record<string, unknown> }[];
}

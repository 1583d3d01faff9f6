export type { ClassSnapshot, ClassSummary, LearnerDetail, LearnerLine } from '../../../server/classroom/classViews';

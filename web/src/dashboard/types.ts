export type { ClassSnapshot, ClassSummary, LearnerDetail, LearnerLine } from '../../../protocol/classViews';

/**
 * Starts `count` learners' labs, at most `concurrency` at a time, as a class trickling in does
 * (the server queues creations itself; this keeps the bench from holding a hundred requests
 * open). A start the server could not complete (503 on a loaded host) is tried again, up to
 * three times; how many were tried again is reported.
 */
import { BenchLearner } from './BenchLearner';

export async function startLabs(
  base: string,
  labId: string,
  count: number,
  concurrency: number,
): Promise<{ learners: BenchLearner[]; retried: number }> {
  const learners: BenchLearner[] = [];
  let retried = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      for (let attempt = 1; ; attempt++) {
        try {
          learners.push(await BenchLearner.start(base, labId));
          break;
        } catch (error) {
          if (attempt >= 3) throw error;
          retried += 1;
          await new Promise((resolve) => setTimeout(resolve, 2_000));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
  return { learners, retried };
}

/** This lab's network is the chapter's, shared with the other labs set on it. */
export { chapterTopology } from '../shared/chapterTopology';

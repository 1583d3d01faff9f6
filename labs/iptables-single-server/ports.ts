/** The ports the chapter's scan of Machine 1 finds open before any change. */
export const CHAPTER_PORTS: readonly number[] = [21, 22, 25, 53, 79, 80, 110, 143, 443, 515, 993, 995];

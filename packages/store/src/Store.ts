/** Placeholder so the package builds; replaced by the index implementation. */
export {}

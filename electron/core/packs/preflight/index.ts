// Preflight of a content pack's media before it goes live: what the pack tooling imports.
export { readImageSize, type ImageKind, type ImageSizeResult } from './image-size';
export { kindsForExtension, type MediaKind } from './media-kind';
export { parseWebVtt, type VttCue, type VttProblem } from './parse-webvtt';
export { preflightFile, type PreflightResult } from './preflight-file';
export { sniffMediaKind } from './sniff-media';

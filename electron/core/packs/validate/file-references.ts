import type { PackManifest } from '../../../common/pack-schema';
import type { FileKind } from '../pack-files';
import type { JsonPath } from './pack-issue';

export interface FileReference {
  file: string;
  path: JsonPath;
  /** What the slot needs; `null` accepts any allowed media. */
  kind: FileKind | null;
}

/** Every file pack.json points at, with where it does so and what kind of file that place needs. */
export function collectFileReferences(manifest: PackManifest): FileReference[] {
  const refs: FileReference[] = [];
  const add = (file: string | undefined, path: JsonPath, kind: FileKind | null) => {
    if (file) refs.push({ file, path, kind });
  };
  add(manifest.theme?.logo, ['theme', 'logo'], 'image');
  add(manifest.attract.video, ['attract', 'video'], 'video');
  manifest.exhibits.forEach((exhibit, e) => add(exhibit.image, ['exhibits', e, 'image'], 'image'));
  manifest.activities.forEach((activity, a) => {
    const base = ['activities', a];
    switch (activity.type) {
      case 'video':
        if (typeof activity.src === 'string') add(activity.src, [...base, 'src'], 'video');
        else for (const [locale, file] of Object.entries(activity.src)) add(file, [...base, 'src', locale], 'video');
        for (const [locale, file] of Object.entries(activity.captions)) add(file, [...base, 'captions', locale], 'captions');
        add(activity.poster, [...base, 'poster'], 'image');
        return;
      case 'scenario':
        activity.nodes.forEach((node, n) => add(node.image, [...base, 'nodes', n, 'image'], 'image'));
        return;
      case 'quiz':
        activity.questions.forEach((question, q) => add(question.image, [...base, 'questions', q, 'image'], 'image'));
        return;
      case 'article':
        add(activity.image, [...base, 'image'], 'image');
        return;
    }
  });
  return refs;
}

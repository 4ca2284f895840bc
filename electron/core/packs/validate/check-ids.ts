import type { PackManifest } from '../../../common/pack-schema';
import { formatJsonPath, type IssueList, type JsonPath } from './pack-issue';

/** Reports ids used twice within one scope; the first use is named so the author finds both. */
export function reportDuplicates(items: readonly { id: string }[], basePath: JsonPath, issues: IssueList): void {
  const first = new Map<string, number>();
  items.forEach((item, i) => {
    const seen = first.get(item.id);
    if (seen === undefined) first.set(item.id, i);
    else issues.error('id-duplicate', [...basePath, i, 'id'], { id: item.id, first: formatJsonPath([...basePath, seen, 'id']) });
  });
}

/** Exhibit and activity ids, and the links between them. */
export function checkIds(manifest: PackManifest, issues: IssueList): void {
  reportDuplicates(manifest.exhibits, ['exhibits'], issues);
  reportDuplicates(manifest.activities, ['activities'], issues);
  const activityIds = new Set(manifest.activities.map((a) => a.id));
  const used = new Set<string>();
  manifest.exhibits.forEach((exhibit, e) => {
    exhibit.activities.forEach((id, a) => {
      used.add(id);
      if (!activityIds.has(id)) issues.error('exhibit-activity-missing', ['exhibits', e, 'activities', a], { id });
    });
  });
  manifest.activities.forEach((activity, i) => {
    if (!used.has(activity.id)) issues.warning('activity-unused', ['activities', i, 'id'], { id: activity.id });
    if (activity.type === 'video' && activity.chapters) {
      activity.chapters.forEach((chapter, c) => {
        const previous = activity.chapters![c - 1];
        if (previous && chapter.at <= previous.at) issues.error('chapter-order', ['activities', i, 'chapters', c, 'at']);
      });
    }
  });
}

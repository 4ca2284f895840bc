import type { Locale } from '../../../common/locales';
import type { ReportMetrics, ScenarioStats, VideoStats, QuizStats } from './metrics';
import type { PackNames, PackOrigin } from './pack-names';
import { REPORT_TEXT, type ReportText } from './report-text';
import { barChart, boxStrip, columnChart, escapeXml, funnel, heatmap, shareLine, splitBar } from './svg-charts';

export interface ReportMeta {
  lang: Locale;
  /** When the report was made, as the reader's local time string. */
  generatedAt: string;
  packId: string | null;
  packOrigin: PackOrigin;
}

/** Pack text and ids are untrusted input: everything that reaches the page goes through here. */
const esc = escapeXml;

class Fmt {
  private readonly int: Intl.NumberFormat;
  private readonly dec: Intl.NumberFormat;
  constructor(
    lang: Locale,
    private readonly t: ReportText,
  ) {
    this.int = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
    this.dec = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  }
  n = (n: number): string => this.int.format(n);
  d = (n: number): string => this.dec.format(n);
  /** Shares: whole percents, one decimal below 10 % so small rates do not all read "0 %" or "5 %". */
  pct = (share: number | null): string => {
    if (share === null || !Number.isFinite(share)) return this.t.none;
    const p = share * 100;
    return `${p > 0 && p < 10 ? this.dec.format(p) : this.int.format(p)}%`;
  };
  ms = (ms: number | null): string => (ms === null ? this.t.none : this.t.ms(ms));
}

/** A table whose cells are already escaped HTML; `numeric` columns are right-aligned and never wrap. */
const table = (head: string[], rows: string[][], numeric: readonly number[], className = ''): string => {
  const cls = (i: number) => (numeric.includes(i) ? ' class="num"' : '');
  return (
    `<table${className ? ` class="${className}"` : ''}><thead><tr>${head.map((h, i) => `<th${cls(i)}>${esc(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`).join('') +
    '</tbody></table>'
  );
};

/** Long pack texts (a scenario step is a paragraph) shortened for tables and chart labels. */
const shorten = (text: string, max: number): string => {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
};

const reading = (text: string) => `<p class="reading">${esc(text)}</p>`;
const figure = (svg: string, caption?: string) => `<figure>${svg}${caption ? `<figcaption>${esc(caption)}</figcaption>` : ''}</figure>`;

function offsetLabel(min: number): string {
  const sign = min < 0 ? '−' : '+';
  const a = Math.abs(min);
  return `UTC${sign}${Math.floor(a / 60)}${a % 60 ? `:${String(a % 60).padStart(2, '0')}` : ''}`;
}

export function renderReportHtml(m: ReportMetrics, names: PackNames, meta: ReportMeta): string {
  const t = REPORT_TEXT[meta.lang];
  const f = new Fmt(meta.lang, t);
  const packTitle = names.packTitle(meta.packId ?? '—');
  const kioskName = (id: string) => {
    const k = m.kiosks.find((x) => x.kioskId === id);
    return k?.label ? `${k.label}` : id.slice(0, 8);
  };
  const sections: { id: keyof ReportText['sections']; html: string }[] = [];
  const quiz = m.quizzes[0] ?? null;

  // Cover -------------------------------------------------------------------------------------------
  const period = m.range ? `${m.range.from} – ${m.range.to}` : t.none;
  const kioskList = m.kiosks.map((k) => esc(k.label ? `${k.label}${k.location ? ` (${k.location})` : ''}` : k.kioskId.slice(0, 8))).join(esc(t.listSep));
  const tiles = [
    [f.n(m.totals.visits), t.kVisits],
    [f.ms(m.duration.median), t.kMedian],
    [f.pct(m.duration.bounceRate), t.kBounce],
    ...(quiz ? [[f.pct(quiz.passRate), t.kPass]] : []),
  ]
    .map(([v, l]) => `<div class="tile"><b>${esc(v!)}</b><span>${esc(l!)}</span></div>`)
    .join('');
  const cover = `
<section class="cover">
  <p class="publisher">${esc(names.text(names.manifest?.publisher?.name, ''))}</p>
  <h1>${esc(packTitle)}</h1>
  <p class="subtitle">${esc(t.reportTitle)}</p>
  <dl class="meta">
    <dt>${esc(t.period)}</dt><dd>${esc(period)}</dd>
    <dt>${esc(t.kiosks)}</dt><dd>${f.n(m.kiosks.length)} · ${kioskList}</dd>
    <dt>${esc(t.source)}</dt><dd>${esc(m.kind === 'fleet' ? t.sourceFleet : t.sourceKiosk)}</dd>
    <dt>${esc(t.packNames)}</dt><dd>${esc(t.packOrigin[meta.packOrigin])}</dd>
    <dt>${esc(t.generated)}</dt><dd>${esc(meta.generatedAt)}</dd>
  </dl>
  <p class="notice" role="note">${esc(t.anonymous)}</p>
  ${m.totals.visits === 0 ? `<p class="reading">${esc(t.noData)}</p>` : `<h2 class="tiles-title">${esc(t.keyFigures)}</h2><div class="tiles">${tiles}</div>`}
  ${m.utcOffsetsMin.length > 0 ? `<p class="small">${esc(t.timesLocal(m.utcOffsetsMin.map(offsetLabel).join(t.listSep)))}</p>` : ''}
</section>`;

  if (m.totals.visits > 0) {
    sections.push({ id: 'visits', html: visitsSection(m, t, f) });
    sections.push({ id: 'duration', html: durationSection(m, t, f) });
    sections.push({ id: 'activities', html: activitiesSection(m, names, t, f) });
    sections.push({ id: 'videos', html: videosSection(m.videos, names, t, f) });
    sections.push({ id: 'scenarios', html: scenariosSection(m.scenarios, names, t, f) });
    sections.push({ id: 'quiz', html: quizSection(m.quizzes, names, t, f) });
  }
  sections.push({ id: 'breakdown', html: breakdownSection(m, names, t, f) });
  sections.push({ id: 'quality', html: qualitySection(m, kioskName, t, f) });
  sections.push({ id: 'method', html: `<ul class="method">${t.method.map((line) => `<li>${esc(line)}</li>`).join('')}</ul>` });

  const toc = `<nav class="toc"><h2>${esc(t.contents)}</h2><ol>${sections.map((s) => `<li><a href="#${s.id}">${esc(t.sections[s.id])}</a></li>`).join('')}</ol></nav>`;
  const body = sections.map((s) => `<section class="chapter" id="${s.id}"><h2>${esc(t.sections[s.id])}</h2>${s.html}</section>`).join('\n');

  return `<!doctype html>
<html lang="${t.htmlLang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(t.docTitle(packTitle))}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${cover}
${toc}
${body}
</main>
<footer>${esc(t.footer(meta.generatedAt))}</footer>
</body>
</html>
`;
}

function visitsSection(m: ReportMetrics, t: ReportText, f: Fmt): string {
  const days = m.perDay;
  const best = days.reduce((b, d) => (d.visits > b.visits ? d : b), days[0]!);
  const mean = m.totals.visits / Math.max(1, days.length);
  const perDay = columnChart({
    title: t.perDayTitle,
    desc: t.perDayReading(best.day, f.n(best.visits), f.d(mean), days.length),
    points: days.map((d) => ({ tick: days.length > 45 ? d.day.slice(0, 7) : d.day.slice(5), label: d.day, value: d.visits })),
    format: f.n,
  });
  const hours = m.heatmap.map((h) => h.hour);
  const firstHour = Math.min(...hours);
  const lastHour = Math.max(...hours);
  const columns = Array.from({ length: lastHour - firstHour + 1 }, (_, i) => String(firstHour + i));
  // Monday first, the way a working week is read in both languages.
  const order = [1, 2, 3, 4, 5, 6, 0];
  const values = order.map((wd) => columns.map((_, j) => m.heatmap.find((h) => h.weekday === wd && h.hour === firstHour + j)?.visits ?? 0));
  const top = m.heatmap.reduce((b, h) => (h.visits > b.visits ? h : b), m.heatmap[0]!);
  const heat = heatmap({
    title: t.heatTitle,
    desc: t.heatReading(t.weekdays[top.weekday]!, t.hourRange(top.hour)),
    rows: order.map((wd) => t.weekdaysShort[wd]!),
    columns,
    values,
  });
  const total = m.totals.visits;
  const reasons = table(
    [t.colReason, t.colVisits, t.colShare],
    m.endReasons.map((r) => [esc(t.endReasons[r.reason] ?? r.reason), f.n(r.visits), f.pct(r.visits / total)]),
    [1, 2],
  );
  const locales = table(
    [t.colLocale, t.colVisits, t.colShare],
    m.locales.map((l) => [esc(t.localeNames[l.locale] ?? l.locale), f.n(l.visits), f.pct(l.visits / total)]),
    [1, 2],
  );
  return `
<h3>${esc(t.perDayTitle)}</h3>${reading(t.perDayReading(best.day, f.n(best.visits), f.d(mean), days.length))}${figure(perDay)}
<div class="keep"><h3>${esc(t.heatTitle)}</h3>${reading(t.heatReading(t.weekdays[top.weekday]!, t.hourRange(top.hour)))}${figure(heat)}</div>
<div class="two keep"><div><h3>${esc(t.endReasonsTitle)}</h3>${reasons}</div><div><h3>${esc(t.localesTitle)}</h3>${locales}</div></div>`;
}

function durationSection(m: ReportMetrics, t: ReportText, f: Fmt): string {
  const d = m.duration;
  if (d.median === null || d.q1 === null || d.q3 === null || d.p10 === null || d.p90 === null) return reading(t.noData);
  const box = boxStrip({
    title: t.durationTitle,
    desc: t.durationReading(f.ms(d.median), f.ms(d.q1), f.ms(d.q3)),
    stats: { p10: d.p10, q1: d.q1, median: d.median, q3: d.q3, p90: d.p90 },
    format: (ms) => t.ms(ms),
    labels: t.quantiles,
  });
  let from = 0;
  const bars = d.buckets.map((b, i) => {
    const label = t.bucketLabel(t.ms(from), b.upToMs === null ? null : t.ms(b.upToMs));
    from = b.upToMs ?? from;
    return { label, value: b.visits, valueLabel: `${f.n(b.visits)} (${f.pct(b.visits / Math.max(1, d.measured))})`, highlight: i === 0 };
  });
  const buckets = barChart({ title: t.durationBucketsTitle, desc: t.bounceReading(f.pct(d.bounceRate), f.n(d.bounces)), bars, labelWidth: 150 });
  return `${reading(t.durationReading(f.ms(d.median), f.ms(d.q1), f.ms(d.q3)))}${figure(box)}
<div class="keep"><h3>${esc(t.durationBucketsTitle)}</h3>${reading(t.bounceReading(f.pct(d.bounceRate), f.n(d.bounces)))}${figure(buckets)}</div>`;
}

function activitiesSection(m: ReportMetrics, names: PackNames, t: ReportText, f: Fmt): string {
  const acts = m.activities;
  if (acts.length === 0) return reading(t.noData);
  const typeOf = (a: (typeof acts)[number]) => a.activityType ?? names.activityType(a.activityId) ?? '';
  const top = acts[0]!;
  const chart = barChart({
    title: t.attractionTitle,
    desc: t.attractionReading(names.activity(top.activityId), f.pct(top.attraction)),
    bars: acts.map((a) => ({ label: `${names.activity(a.activityId)} · ${t.types[typeOf(a)] ?? typeOf(a)}`, value: a.attraction, valueLabel: f.pct(a.attraction) })),
    max: Math.max(...acts.map((a) => a.attraction)),
    labelWidth: 300,
  });
  const exhibits = barChart({
    title: t.exhibitsTitle,
    desc: t.exhibitsTitle,
    bars: m.exhibits.map((e) => ({ label: names.exhibit(e.exhibitId), value: e.visits / m.totals.visits, valueLabel: f.pct(e.visits / m.totals.visits) })),
    labelWidth: 300,
  });
  const rows = acts.map((a) => [esc(names.activity(a.activityId)), esc(t.types[typeOf(a)] ?? typeOf(a)), f.n(a.opens), f.n(a.visits), f.pct(a.attraction)]);
  return `<h3>${esc(t.attractionTitle)}</h3>${reading(t.attractionReading(names.activity(top.activityId), f.pct(top.attraction)))}${figure(chart)}
<div class="keep"><h3>${esc(t.exhibitsTitle)}</h3>${figure(exhibits)}</div>
${table([t.colActivity, t.colType, t.colOpens, t.colVisitsOpened, t.colAttraction], rows, [2, 3, 4])}`;
}

function videosSection(videos: VideoStats[], names: PackNames, t: ReportText, f: Fmt): string {
  if (videos.length === 0) return reading(t.noVideos);
  return videos
    .map((v) => {
      const name = names.activity(v.activityId);
      const curve = shareLine({
        title: t.videoCurveTitle(name),
        desc: t.videoHolding(f.pct(v.holding), f.pct(v.completed / v.viewings)),
        values: v.curve,
        xLabels: [t.videoStart, t.seconds(v.length / 2), t.videoEnd],
      });
      return `<div class="video keep"><div><h3>${esc(name)}</h3>
<p class="big">${esc(f.pct(v.holding))}</p>${reading(t.videoHolding(f.pct(v.holding), f.pct(v.completed / v.viewings)))}
<p class="small">${esc(t.videoFacts(f.n(v.viewings), t.seconds(v.length), t.seconds(v.meanSecondsWatched)))}${v.lengthEstimated ? ` · ${esc(t.lengthEstimated)}` : ''}</p></div>
${figure(curve)}</div>`;
    })
    .join('');
}

function scenariosSection(scenarios: ScenarioStats[], names: PackNames, t: ReportText, f: Fmt): string {
  if (scenarios.length === 0) return reading(t.noScenarios);
  return scenarios
    .map((s) => {
      const name = names.activity(s.activityId);
      const ended = s.safeEndings + s.unsafeEndings;
      const nodeLabel = (id: string) => shorten(names.scenarioNode(s.activityId, id), 70);
      const worst = s.nodes.filter((n) => n.reached >= 5).reduce<(typeof s.nodes)[number] | null>((b, n) => (!b || n.left / n.reached > b.left / b.reached ? n : b), null);
      const funnelReading = worst && worst.left / worst.reached >= 0.02 ? t.funnelReading(nodeLabel(worst.nodeId), f.pct(worst.left / worst.reached)) : t.funnelAllChose;
      const chart = funnel({
        title: t.funnelTitle(name),
        desc: `${funnelReading} ${t.funnelLegend}`,
        steps: s.nodes.map((n) => ({ label: nodeLabel(n.nodeId), reached: n.reached, left: n.left, caption: t.funnelCaption(f.n(n.reached), f.n(n.left)) })),
      });
      const split = splitBar({
        title: t.splitTitle(name),
        desc: t.endingsReading(f.pct(ended > 0 ? s.safeEndings / ended : null)),
        safe: { label: t.safe, value: s.safeEndings },
        unsafe: { label: t.unsafe, value: s.unsafeEndings },
      });
      const nodeRows = s.nodes.map((n) => {
        const topChoice = n.choices[0];
        return [
          esc(nodeLabel(n.nodeId)),
          f.n(n.reached),
          `${f.n(n.left)} (${f.pct(n.reached > 0 ? n.left / n.reached : null)})`,
          f.pct(n.chose > 0 ? n.safeChoices / n.chose : null),
          topChoice ? `${esc(names.scenarioChoice(s.activityId, n.nodeId, topChoice.choiceId))} <span class="tag ${topChoice.safe ? 'safe' : 'unsafe'}">${esc(t.outcome[topChoice.safe ? 'safe' : 'unsafe']!)}</span> ${f.pct(topChoice.count / n.chose)}` : t.none,
        ];
      });
      const endingRows = s.endings.map((e) => [
        esc(names.scenarioEnding(s.activityId, e.endingId)),
        `<span class="tag ${e.outcome === 'safe' ? 'safe' : 'unsafe'}">${esc(t.outcome[e.outcome] ?? e.outcome)}</span>`,
        f.n(e.count),
        f.pct(ended > 0 ? e.count / ended : null),
      ]);
      return `<article class="scenario"><div class="keep"><h3>${esc(name)}</h3>
<p class="small">${esc(t.scenarioFacts(f.n(s.opens), f.n(ended)))}</p>
${reading(funnelReading)}${figure(chart, t.funnelLegend)}</div>
<div class="keep">${reading(t.endingsReading(f.pct(ended > 0 ? s.safeEndings / ended : null)))}${figure(split)}
${endingRows.length > 0 ? table([t.colEnding, t.colOutcome, t.colCount, t.colShare], endingRows, [2, 3]) : ''}</div>
${table([t.colNode, t.colReached, t.colStopped, t.colSafeChoice, t.colTopChoice], nodeRows, [1, 2, 3], 'nodes')}
</article>`;
    })
    .join('');
}

function quizSection(quizzes: QuizStats[], names: PackNames, t: ReportText, f: Fmt): string {
  if (quizzes.length === 0) return reading(t.noQuiz);
  return quizzes
    .map((q) => {
      const quiz = names.quiz(q.activityId);
      const passPercent = quiz ? `${quiz.passPercent}%` : t.none;
      const scores = barChart({
        title: t.scoresTitle,
        desc: t.quizScore(f.pct(q.meanPercent === null ? null : q.meanPercent / 100), f.pct(q.passRate), passPercent),
        bars: q.scores.map((s) => ({
          label: `${s.percent}%`,
          value: s.count,
          valueLabel: `${f.n(s.count)} (${f.pct(s.count / Math.max(1, q.finishes))})`,
          highlight: quiz ? s.percent < quiz.passPercent : false,
        })),
        labelWidth: 60,
      });
      const hardest = q.questions[0];
      const wrongText = (question: (typeof q.questions)[number]) =>
        question.topWrong ? names.options(q.activityId, question.questionId, question.topWrong.chosen) : null;
      // A long question pool is drawn in page-sized charts, so none is taller than an A4 page.
      const perChart = 24;
      const correctCharts: string[] = [];
      for (let i = 0; i < q.questions.length; i += perChart) {
        const chunk = q.questions.slice(i, i + perChart);
        correctCharts.push(
          figure(
            barChart({
              title: t.correctTitle,
              desc: hardest ? t.hardestReading(names.question(q.activityId, hardest.questionId), f.pct(hardest.correctRate), wrongText(hardest)) : t.correctTitle,
              bars: chunk.map((question) => ({
                label: names.question(q.activityId, question.questionId),
                value: question.correctRate,
                valueLabel: f.pct(question.correctRate),
                highlight: question.correctRate < 0.5,
              })),
              max: 1,
              labelWidth: 360,
            }),
          ),
        );
      }
      const rows = q.questions.map((question) => [
        esc(names.question(q.activityId, question.questionId)),
        f.n(question.answers),
        f.pct(question.correctRate),
        question.topWrong ? `${esc(wrongText(question)!)} <span class="small">(${f.n(question.topWrong.count)})</span>` : t.none,
        esc(t.seconds(question.meanMs / 1000)),
      ]);
      return `<article class="quiz"><h3>${esc(names.activity(q.activityId))}</h3>
<div class="tiles">
  <div class="tile"><b>${esc(f.pct(q.completion))}</b><span>${esc(t.quizFacts(f.n(q.starts), f.n(q.finishes), f.pct(q.completion)))}</span></div>
  <div class="tile"><b>${esc(f.pct(q.passRate))}</b><span>${esc(t.quizScore(f.pct(q.meanPercent === null ? null : q.meanPercent / 100), f.pct(q.passRate), passPercent))}</span></div>
</div>
<div class="keep"><h3>${esc(t.scoresTitle)}</h3>${figure(scores)}</div>
<div class="keep"><h3>${esc(t.correctTitle)}</h3>${hardest ? reading(t.hardestReading(names.question(q.activityId, hardest.questionId), f.pct(hardest.correctRate), wrongText(hardest))) : ''}${correctCharts[0] ?? ''}</div>
${correctCharts.slice(1).join('')}
${table([t.colQuestion, t.colAnswers, t.colCorrect, t.colTopWrong, t.colTime], rows, [1, 2, 4], 'questions')}
</article>`;
    })
    .join('');
}

function breakdownSection(m: ReportMetrics, names: PackNames, t: ReportText, f: Fmt): string {
  const kioskRows = m.kiosks.map((k) => [
    `${esc(k.label || k.kioskId.slice(0, 8))}<br><span class="small mono">${esc(k.kioskId)}</span>`,
    esc(k.location || t.none),
    f.n(k.visits),
    f.n(k.events),
    f.pct(k.bounceRate),
    f.ms(k.meanDurationMs),
    esc(k.from ?? t.none),
    esc(k.to ?? t.none),
  ]);
  const packRows = m.packVersions.map((p) => [
    esc(p.packId === names.manifest?.id ? names.packTitle(p.packId) : p.packId),
    esc(p.packVersion),
    f.n(p.visits),
    esc(p.from),
    esc(p.to),
  ]);
  return `<h3>${esc(t.kioskTitle)}</h3>${table([t.colKiosk, t.colLocation, t.colVisits, t.colEvents, t.colBounce, t.colMeanDuration, t.colFrom, t.colTo], kioskRows, [2, 3, 4, 5, 6, 7])}
<h3>${esc(t.packTitle)}</h3>${table([t.colPack, t.colVersion, t.colVisits, t.colFrom, t.colTo], packRows, [2, 3, 4])}`;
}

function qualitySection(m: ReportMetrics, kioskName: (id: string) => string, t: ReportText, f: Fmt): string {
  const q = m.quality;
  const notes: string[] = [];
  let problems = 0;
  for (const s of q.seq) {
    if (s.missing > 0) {
      problems += 1;
      const gaps = s.gaps.map((g) => `${g.after + 1}–${g.before - 1}`).join(t.listSep);
      notes.push(t.seqMissing(kioskName(s.kioskId), f.n(s.missing), gaps));
    } else notes.push(t.seqComplete(kioskName(s.kioskId), s.firstSeq, s.lastSeq));
    if (m.kind === 'fleet' && s.firstSeq > 1) {
      problems += 1;
      notes.push(t.seqLateStart(kioskName(s.kioskId), s.firstSeq));
    }
  }
  if (q.clockJumpCount > 0) {
    problems += 1;
    notes.push(t.clockJumps(f.n(q.clockJumpCount)));
  }
  for (const b of q.timeBackwards) {
    problems += 1;
    notes.push(t.timeBackwards(kioskName(b.kioskId), f.n(b.count)));
  }
  for (const r of q.recovered) {
    problems += 1;
    notes.push(t.recovered(kioskName(r.kioskId), f.n(r.visits)));
  }
  if (m.totals.openVisits > 0) notes.push(t.openVisits(f.n(m.totals.openVisits)));
  if (q.unknownEventTypes.length > 0) notes.push(t.unknownTypes(q.unknownEventTypes.map((u) => `${u.type} (${f.n(u.count)})`).join(t.listSep)));
  if (q.otherPacks.length > 0) notes.push(t.otherPacks(q.otherPacks.map((p) => `${p.packId} (${f.n(p.visits)})`).join(t.listSep)));
  const jumps = q.clockJumps.map((j) => `<li class="small">${esc(t.clockJump(kioskName(j.kioskId), j.at, jumpDetail(j.detail, t)))}</li>`).join('');
  return `${reading(problems === 0 ? t.qualityClean : t.qualityIntro)}<ul class="notes">${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>${jumps ? `<ul class="jumps">${jumps}</ul>` : ''}`;
}

/** An audit detail in words: the size of the jump when it is recorded, otherwise its fields as key: value. */
function jumpDetail(detail: string, t: ReportText): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(detail);
  } catch {
    return detail;
  }
  if (!parsed || typeof parsed !== 'object') return String(parsed);
  const record = parsed as Record<string, unknown>;
  // clock-watch.ts records how far the wall clock moved beyond the monotonic clock (which does not jump);
  // a jump found at start has no monotonic span, and its wall delta alone is the step back.
  if (typeof record.wallDeltaMs === 'number') {
    const monotonic = typeof record.monotonicDeltaMs === 'number' ? record.monotonicDeltaMs : 0;
    return t.clockShift(record.wallDeltaMs - monotonic);
  }
  return Object.entries(record)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(t.listSep);
}

const CSS = `
@page { size: A4; margin: 16mm 15mm 18mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'Noto Sans', 'Microsoft YaHei', 'PingFang SC', sans-serif; color: #1f2933; font-size: 10.5pt; line-height: 1.5; background: #fff; }
main { max-width: 180mm; margin: 0 auto; padding: 8mm 0; }
/* In English, Noto Sans CJK would set curly quotes full-width; its proportional alternates fix that. */
html[lang="en"] body { font-feature-settings: 'palt'; }
svg.chart { font-family: inherit; }
h1 { font-size: 26pt; line-height: 1.2; margin: 6mm 0 2mm; color: #7a1b14; }
h2 { font-size: 16pt; margin: 0 0 3mm; padding-bottom: 1.5mm; border-bottom: 2px solid #b3261e; }
h3 { font-size: 12pt; margin: 5mm 0 1.5mm; }
.cover .publisher { font-size: 12pt; color: #616e7c; margin: 0; }
.cover .subtitle { font-size: 16pt; margin: 0 0 6mm; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 1.5mm 6mm; margin: 0 0 6mm; }
dl.meta dt { color: #616e7c; }
dl.meta dd { margin: 0; }
.notice { border: 2px solid #b3261e; border-radius: 2mm; padding: 3mm 4mm; background: #fdf3f2; font-weight: 600; }
.tiles-title { border: 0; font-size: 12pt; margin-top: 6mm; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(38mm, 1fr)); gap: 3mm; margin: 2mm 0 4mm; }
.tile { border: 1px solid #d9dee3; border-radius: 2mm; padding: 3mm; break-inside: avoid; }
.tile b { display: block; font-size: 18pt; color: #2f5d8a; line-height: 1.2; }
.tile span { font-size: 9pt; color: #3e4c59; }
.toc ol { columns: 2; padding-left: 6mm; }
.toc a { color: inherit; text-decoration: none; }
.chapter { break-before: page; }
.reading { font-size: 11pt; margin: 1mm 0 2mm; }
.reading::before { content: '▸ '; color: #b3261e; }
.small { font-size: 8.5pt; color: #616e7c; }
.mono { font-family: 'DejaVu Sans Mono', monospace; }
.big { font-size: 22pt; font-weight: 700; color: #2f5d8a; margin: 0; line-height: 1.1; }
figure { margin: 1mm 0 4mm; break-inside: avoid; }
figcaption { font-size: 8.5pt; color: #616e7c; }
svg.chart { display: block; width: 100%; height: auto; }
.keep, article h3, tr { break-inside: avoid; }
h2, h3 { break-after: avoid; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 6mm; }
.video { display: grid; grid-template-columns: 1fr 85mm; gap: 4mm; align-items: start; border-top: 1px solid #d9dee3; padding-top: 2mm; margin-top: 3mm; }
.video h3 { margin-top: 1mm; }
article.scenario + article.scenario, article.quiz + article.quiz { margin-top: 8mm; border-top: 1px solid #d9dee3; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0 4mm; font-size: 9pt; }
thead { display: table-header-group; }
th, td { text-align: left; vertical-align: top; padding: 1.2mm 1.6mm; border-bottom: 1px solid #d9dee3; }
th { background: #f2f4f6; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.nodes td:first-child { width: 38%; }
table.nodes td:last-child { width: 36%; }
table.questions td:first-child { width: 42%; }
table.questions td:nth-child(4) { width: 30%; }
.tag { display: inline-block; font-size: 8pt; border-radius: 1mm; padding: 0 1.2mm; border: 1px solid; }
.tag.safe { color: #2f5d8a; }
.tag.unsafe { color: #b3261e; border-style: dashed; }
ul.notes li { margin-bottom: 1.5mm; }
ul.method li { margin-bottom: 2mm; }
footer { max-width: 180mm; margin: 0 auto 8mm; font-size: 8pt; color: #616e7c; border-top: 1px solid #d9dee3; padding-top: 2mm; }
@media screen { body { background: #eef1f4; } main { background: #fff; padding: 12mm 15mm; margin: 6mm auto; box-shadow: 0 1px 4px rgba(0,0,0,.15); max-width: 210mm; } .chapter { margin-top: 12mm; } }
@media print { main { padding: 0; } footer { display: none; } }
`;

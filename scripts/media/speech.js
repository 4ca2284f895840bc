// Narration with espeak-ng. Durations come from the WAV header, so slide timing needs no ffprobe call.
import { readFileSync, writeFileSync } from 'node:fs';
import { run } from './tools.js';

// The only place locales are named: which espeak-ng voice speaks which language, at what speed (wpm).
// cmn at 210 is about 3.7 characters a second, an unhurried Mandarin pace; en-us 155 is about 135 wpm.
const VOICES = {
  zh: { voice: 'cmn', speed: 210 },
  en: { voice: 'en-us', speed: 155 },
};

export function voiceFor(locale) {
  const v = VOICES[locale] ?? VOICES[locale.split('-')[0].toLowerCase()];
  if (!v) throw new Error(`no espeak-ng voice configured for locale "${locale}" (see VOICES in scripts/media/speech.js)`);
  return v;
}

/**
 * Speaks `text` into a WAV file and returns its duration in seconds.
 * The text goes through a file because espeak-ng would read a leading "-" as an option.
 */
export function speak(text, locale, wavPath) {
  const { voice, speed } = voiceFor(locale);
  const txtPath = `${wavPath}.txt`;
  writeFileSync(txtPath, text, 'utf8');
  run('espeak-ng', ['-v', voice, '-s', String(speed), '-w', wavPath, '-f', txtPath]);
  return wavDuration(wavPath);
}

/** Seconds of audio in a PCM WAV file. Tolerates the placeholder sizes streaming writers leave. */
export function wavDuration(path) {
  const buf = readFileSync(path);
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${path}: not a WAV file`);
  }
  let byteRate = 0;
  for (let off = 12; off + 8 <= buf.length; ) {
    const id = buf.toString('ascii', off, off + 4);
    let size = buf.readUInt32LE(off + 4);
    if (id === 'fmt ') byteRate = buf.readUInt32LE(off + 16);
    if (id === 'data') {
      if (!byteRate) throw new Error(`${path}: data chunk before fmt chunk`);
      if (size === 0 || off + 8 + size > buf.length) size = buf.length - off - 8;
      return size / byteRate;
    }
    off += 8 + size + (size % 2);
  }
  throw new Error(`${path}: no data chunk`);
}

/** A short silent 16-bit mono WAV, for slides without narration (ffmpeg pads it to the slide length). */
export function writeSilentWav(path, seconds, rate = 22050) {
  const dataBytes = Math.round(seconds * rate) * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVEfmt ', 8, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  writeFileSync(path, buf);
}

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every relative link of the README and docs/ leads somewhere: the file exists and, for `#anchor`
 * links, so does the heading, slugged as GitHub slugs it. External links (any scheme) are not fetched.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

const files = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))];

/** The lines outside fenced code blocks (``` or ~~~), where a `#` is a heading and `[x](y)` a link. */
function prose(text: string): string[] {
  let fence: string | undefined;
  return text.split('\n').filter((line) => {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      return false;
    }
    return fence === undefined;
  });
}

/**
 * GitHub's heading anchor (github-slugger): the rendered text in lower case, every character that is
 * not a letter, mark, number, connector, hyphen or space dropped, each space a hyphen; a repeated
 * slug gets `-1`, `-2`... in order.
 */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[`*]/g, '');
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of prose(readFileSync(file, 'utf8'))) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    if (heading !== undefined) {
      const base = slug(heading);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const match of line.matchAll(/<a\s[^>]*(?:id|name)="([^"]+)"/g)) anchors.add(match[1]!);
  }
  return anchors;
}

/** The targets of inline links and images and of reference definitions; code spans hold none. */
function linksOf(file: string): string[] {
  return prose(readFileSync(file, 'utf8')).flatMap((line) => {
    const text = line.replace(/(`+)[^`]*?\1/g, '');
    const inline = [...text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(text)?.[1];
    return definition ? [...inline, definition] : inline;
  });
}

const external = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

/** Why a relative link leads nowhere, or undefined when it leads somewhere. */
function brokenReason(file: string, target: string): string | undefined {
  const [path = '', anchor] = target.split('#');
  const destination = path ? resolve(dirname(file), decodeURIComponent(path)) : file;
  if (!existsSync(destination)) return 'no such file';
  if (anchor === undefined) return undefined;
  if (statSync(destination).isDirectory() || !destination.endsWith('.md')) return 'an anchor into something that is not a Markdown file';
  return anchorsOf(destination).has(decodeURIComponent(anchor)) ? undefined : `no heading with the anchor #${anchor}`;
}

describe('the documentation links', () => {
  it('slugs headings as GitHub does', () => {
    expect(slug('Idempotent sends: `Idempotency-Key`')).toBe('idempotent-sends-idempotency-key');
    expect(slug('2. Provision a tenant: `messaging-admin`')).toBe('2-provision-a-tenant-messaging-admin');
    expect(slug('The API describes itself: `/metadata`, `/types/{lang}`, `/openapi.json`, `/docs`')).toBe(
      'the-api-describes-itself-metadata-typeslang-openapijson-docs',
    );
    expect(slug("This service's own read of one session")).toBe('this-services-own-read-of-one-session');
    expect(slug('Exactly once to the provider: what it can and can not guarantee')).toBe(
      'exactly-once-to-the-provider-what-it-can-and-can-not-guarantee',
    );
    expect(slug('snake_case and [a link](x.md)')).toBe('snake_case-and-a-link');
  });

  it('finds the links of the README and of every file in docs/', () => {
    expect(files.map((f) => relative(root, f))).toEqual(expect.arrayContaining(['README.md', 'docs/README.md', 'docs/table-design.md']));
    expect(linksOf(join(root, 'README.md')).filter((t) => !external(t)).length).toBeGreaterThan(10);
  });

  it('leads every relative link to an existing file and, for an anchor, to an existing heading', () => {
    const broken = files.flatMap((file) =>
      linksOf(file)
        .filter((target) => !external(target))
        .flatMap((target) => {
          const reason = brokenReason(file, target);
          return reason ? [`${relative(root, file)}: (${target}) ${reason}`] : [];
        }),
    );
    expect(broken).toEqual([]);
  });

  it('keeps the README a front door that reads in ten minutes (at most 250 lines)', () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(250);
  });
});

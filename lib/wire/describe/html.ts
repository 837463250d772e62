export const SERVICE_NAME = 'messaging-api';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Everything inline: the pages load nothing, from this service or any other. */
const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:64rem;padding:1rem 2rem;color:#1b1b1b;background:#fff}
a{color:#0b57d0}a:focus{outline:3px solid #0b57d0;outline-offset:2px}
table{border-collapse:collapse;margin:1rem 0}caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #bbb;padding:.3rem .6rem;text-align:left;vertical-align:top}thead th{background:#eef2f7}
pre{background:#f4f6f8;border:1px solid #ccd;padding:1rem;overflow:auto;font-size:.85rem}
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}nav a{padding:.2rem .6rem;border:1px solid #bbb;border-radius:4px;text-decoration:none}
nav a[aria-current=page]{background:#0b57d0;color:#fff;border-color:#0b57d0}`;

export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

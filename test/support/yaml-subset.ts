// A strict reader for the YAML subset the deploy/ manifests use (block mappings and sequences, plain
// and quoted scalars, JSON-style flow sequences, comments): anything else is an error naming the line,
// so a manifest that drifts out of plain YAML fails its test instead of being half read.

type Node = string | Node[] | { [key: string]: Node };

interface Line {
  no: number;
  indent: number;
  text: string;
}

function scalar(raw: string, no: number): Node {
  const t = raw.trim();
  if (t.startsWith('[')) {
    try {
      const v = JSON.parse(t) as unknown;
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    } catch {
      // fall through
    }
    throw new Error(`line ${no}: a flow sequence must be a JSON array of strings: ${t}`);
  }
  if (t.startsWith('"')) {
    try {
      return JSON.parse(t) as string;
    } catch {
      throw new Error(`line ${no}: bad double-quoted string: ${t}`);
    }
  }
  if (t.startsWith("'")) {
    if (!/^'([^']|'')*'$/.test(t)) throw new Error(`line ${no}: bad single-quoted string: ${t}`);
    return t.slice(1, -1).replace(/''/g, "'");
  }
  if (/^[{&*!|>%@`]/.test(t) || / #/.test(t)) throw new Error(`line ${no}: unsupported YAML: ${t}`);
  return t;
}

function stripComment(s: string): string {
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || s[i - 1] === ' ')) return s.slice(0, i).trimEnd();
  }
  return s.trimEnd();
}

function block(lines: Line[], start: number, indent: number): [Node, number] {
  const first = lines[start]!;
  if (first.indent !== indent) throw new Error(`line ${first.no}: unexpected indentation`);
  if (first.text.startsWith('- ') || first.text === '-') {
    const out: Node[] = [];
    let i = start;
    while (i < lines.length && lines[i]!.indent === indent && lines[i]!.text.startsWith('-')) {
      const l = lines[i]!;
      const rest = l.text.slice(1).trimStart();
      if (rest === '') throw new Error(`line ${l.no}: empty sequence item`);
      if (/^[^"'[][^:]*:( |$)/.test(rest)) {
        // "- key: value" opens a mapping indented at the key's column
        const inner = indent + (l.text.length - rest.length);
        const sub = [{ no: l.no, indent: inner, text: rest }, ...lines.slice(i + 1)];
        const [node, used] = block(sub, 0, inner);
        out.push(node);
        i += used;
      } else {
        out.push(scalar(rest, l.no));
        i++;
      }
    }
    return [out, i - start];
  }
  const out: { [key: string]: Node } = {};
  let i = start;
  while (i < lines.length && lines[i]!.indent === indent) {
    const l = lines[i]!;
    const m = /^([A-Za-z0-9_.\-/]+):(?: (.*))?$/.exec(l.text);
    if (!m) throw new Error(`line ${l.no}: expected 'key: value': ${l.text}`);
    const key = m[1]!;
    if (key in out) throw new Error(`line ${l.no}: duplicate key '${key}'`);
    if (m[2] !== undefined && m[2] !== '') {
      out[key] = scalar(m[2], l.no);
      i++;
    } else {
      const next = lines[i + 1];
      if (!next || next.indent < indent || (next.indent === indent && !next.text.startsWith('-'))) throw new Error(`line ${l.no}: '${key}' has no value`);
      const [node, used] = block(lines, i + 1, next.indent);
      out[key] = node;
      i += 1 + used;
    }
  }
  if (i < lines.length && lines[i]!.indent > indent) throw new Error(`line ${lines[i]!.no}: unexpected indentation`);
  return [out, i - start];
}

export function parseYamlSubset(text: string): Node {
  const lines: Line[] = [];
  text.split('\n').forEach((raw, n) => {
    if (raw.includes('\t')) throw new Error(`line ${n + 1}: a tab`);
    const s = stripComment(raw);
    if (s.trim() === '' || s.trim() === '---') return;
    lines.push({ no: n + 1, indent: s.length - s.trimStart().length, text: s.trim() });
  });
  const [node, used] = block(lines, 0, 0);
  if (used !== lines.length) throw new Error(`line ${lines[used]!.no}: unexpected content`);
  return node;
}

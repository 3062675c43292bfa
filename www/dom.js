// DOM helpers shared by the store and the preference center. Text only through textContent: nothing from data is
// ever parsed as HTML.

export const $ = (id) => document.getElementById(id);

// The Subresource Integrity hash the page pins for a file it fetches (scripts/sri.mjs writes them into
// <meta name="tactful-integrity">), or '' (no check) where the page pins none.
export const integrity = (src) =>
  document.querySelector(`meta[name="tactful-integrity"][data-src="${src}"]`)?.content ?? '';

// A file a page ships (catalog, model, personas), checked against its pinned hash where there is one: the Response.
export async function getFile(path) {
  const res = await fetch(path, { integrity: integrity(path) });
  if (!res.ok) throw new Error(`Could not load ${path} (HTTP ${res.status})`);
  return res;
}

// The same, parsed as JSON.
export async function getJson(path) {
  return (await getFile(path)).json();
}

// An element with attributes and children. `class` sets the class name, `onclick` a listener; null, undefined and
// false attributes or children are left out; `true` sets an empty attribute.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'onclick') node.addEventListener('click', v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  node.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

// A stable colour per department, from the small palette in style.css.
export function tone(text) {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return `tone-${h % 8}`;
}

// The page's error box (#error): an engine error shows its code, message and the path of the bad value; `null`
// hides the box. `note` is an extra sentence, e.g. that nothing stored changed.
export function showError(err, note) {
  const box = $('error');
  if (!err) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  const code = err.code ? `${err.code}: ` : '';
  const where = err.path ? ` (at ${err.path})` : '';
  box.replaceChildren(
    el('strong', {}, 'Something went wrong. '),
    el('span', {}, `${code}${err.message ?? String(err)}${where}`),
    note ? el('span', { class: 'error-note' }, ` ${note}`) : null,
  );
  box.hidden = false;
}

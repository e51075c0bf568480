// Measures what a reader sees on the open page, as the browser has laid it
// out: evaluated by tests/it/reading.rs after the theme is applied, once per
// page, viewport and theme. Returns plain data; the Rust tests judge it.
(async () => {
  await document.fonts.ready;
  const root = document.documentElement;
  const width = root.clientWidth;
  const height = window.innerHeight;
  const SVG = "http://www.w3.org/2000/svg";
  const CODE = "code, pre, kbd, samp, tt";

  // A short name for an element: its tag, id and classes, after the
  // nearest ancestor with an id.
  function where(el) {
    const name = (e) =>
      e.localName +
      (e.id ? "#" + e.id : "") +
      Array.from(e.classList || [], (c) => "." + c).join("");
    let anchor = el.parentElement;
    while (anchor && !anchor.id) anchor = anchor.parentElement;
    return (anchor && anchor !== el ? name(anchor) + " … " : "") + name(el);
  }

  // --- colour -------------------------------------------------------------

  // A computed colour as [r, g, b, alpha], r, g and b from 0 to 255.
  function parse(text) {
    let m = text.match(/^rgba?\(([^)]*)\)$/);
    if (m) {
      const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    }
    m = text.match(/^color\(srgb ([^)]*)\)$/);
    if (m) {
      const p = m[1].split(/[\s/]+/).filter(Boolean).map(Number);
      return [p[0] * 255, p[1] * 255, p[2] * 255, p.length > 3 ? p[3] : 1];
    }
    // Any other colour (oklch(), which relative colours compute to): as a
    // canvas paints it, in sRGB, when it is opaque.
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = text;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return a === 255 ? [r, g, b, 1] : null;
  }
  const canvas = document.createElementNS("http://www.w3.org/1999/xhtml", "canvas");
  canvas.width = 1;
  canvas.height = 1;

  // `top` painted over the opaque `bottom`.
  function over(top, bottom) {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  }

  // The opaque colour behind an element's text: every background from the
  // root down to it, painted in order on the white canvas.
  const backgrounds = new Map();
  function background(el) {
    if (!el) return [255, 255, 255, 1];
    if (backgrounds.has(el)) return backgrounds.get(el);
    const below = background(el.parentElement);
    const value = getComputedStyle(el).backgroundColor;
    const own = parse(value);
    if (!own) contrastResult.unread.push({ where: where(el), background: value });
    const result = own && own[3] > 0 ? over(own, below) : below;
    backgrounds.set(el, result);
    return result;
  }

  // WCAG 2 relative luminance and contrast ratio.
  function luminance(c) {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  function contrast(a, b) {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  }
  const hex = (c) =>
    "#" + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");

  // Every run of text that is drawn: its colour against what is behind it.
  const contrastResult = { runs: 0, tokens: 0, classes: [], low: [], unread: [] };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data.trim();
    const el = node.parentElement;
    if (!text || !el) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    if (range.getClientRects().length === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility !== "visible") continue;
    const svg = el.namespaceURI === SVG;
    const ink = parse(svg ? style.fill : style.color);
    if (!ink) {
      if (!svg || style.fill !== "none") {
        contrastResult.unread.push({ where: where(el), color: svg ? style.fill : style.color });
      }
      continue;
    }
    const behind = background(el);
    const fg = over(ink, behind);
    const ratio = contrast(fg, behind);
    contrastResult.runs += 1;
    const token = Array.from(el.classList).find((c) => c.startsWith("hl-"));
    if (token) {
      contrastResult.tokens += 1;
      if (!contrastResult.classes.includes(token)) contrastResult.classes.push(token);
    }
    if (ratio < 4.5) {
      contrastResult.low.push({
        text: text.slice(0, 40),
        where: where(el),
        color: hex(fg),
        background: hex(behind),
        ratio: Math.round(ratio * 100) / 100,
      });
    }
  }

  // --- code size ----------------------------------------------------------

  // Each piece of code against the text around it.
  const code = { checked: 0, off: [] };
  for (const el of document.body.querySelectorAll(CODE)) {
    if (el.getClientRects().length === 0) continue;
    let around = el.parentElement;
    while (around && around.matches(CODE)) around = around.parentElement;
    if (!around) continue;
    const ratio =
      parseFloat(getComputedStyle(el).fontSize) / parseFloat(getComputedStyle(around).fontSize);
    code.checked += 1;
    if (ratio < 0.85 - 1e-6 || ratio > 1 + 1e-6) {
      code.off.push({
        text: el.textContent.trim().slice(0, 40),
        where: where(el),
        ratio: Math.round(ratio * 1000) / 1000,
      });
    }
  }

  // --- width --------------------------------------------------------------

  // Elements that reach past either side of the page, outside a box that
  // scrolls; and boxes that cut off what they hold.
  const overflow = { document: root.scrollWidth, wide: [], clipped: [] };
  const scrolls = (el) => {
    const x = getComputedStyle(el).overflowX;
    return x === "auto" || x === "scroll";
  };
  const inScroller = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (scrolls(a)) return true;
    }
    return false;
  };
  // An inline element counts only when the page does scroll: the spaces
  // at the end of a line of preformatted code hang past the edge unseen.
  const scrollsSideways = root.scrollWidth > width;
  for (const el of document.body.querySelectorAll("*")) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    const inline = getComputedStyle(el).display === "inline";
    if ((rect.right > width + 0.5 || rect.left < -0.5) && (!inline || scrollsSideways)) {
      const parent = el.parentElement.getBoundingClientRect();
      const parentWide = parent.right > width + 0.5 || parent.left < -0.5;
      if (!parentWide && !inScroller(el)) {
        overflow.wide.push({
          where: where(el),
          left: Math.round(rect.left),
          right: Math.round(rect.right),
        });
      }
    }
    const x = getComputedStyle(el).overflowX;
    if ((x === "hidden" || x === "clip") && el.scrollWidth > el.clientWidth + 1) {
      overflow.clipped.push({ where: where(el), width: el.clientWidth, content: el.scrollWidth });
    }
  }

  // --- centred lines ------------------------------------------------------

  // The lines of the blocks inside `selector`: as much room on the left of
  // each as on its right, within the block's content box.
  function centred(selector) {
    const result = { lines: 0, off: [] };
    const blocks = new Set();
    for (const el of document.body.querySelectorAll(selector)) {
      const tw = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = tw.nextNode(); node; node = tw.nextNode()) {
        if (!node.data.trim()) continue;
        let block = node.parentElement;
        while (block !== el && getComputedStyle(block).display.startsWith("inline")) {
          block = block.parentElement;
        }
        blocks.add(block);
      }
    }
    for (const block of blocks) {
      const style = getComputedStyle(block);
      const box = block.getBoundingClientRect();
      const left = box.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft);
      const right =
        box.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight);
      const lines = [];
      const tw = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      for (let node = tw.nextNode(); node; node = tw.nextNode()) {
        if (!node.data.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) {
          if (r.width === 0) continue;
          const line = lines.find((l) => Math.abs(l.top - r.top) < 2);
          if (line) {
            line.left = Math.min(line.left, r.left);
            line.right = Math.max(line.right, r.right);
            line.text += node.data;
          } else {
            lines.push({ top: r.top, left: r.left, right: r.right, text: node.data });
          }
        }
      }
      for (const line of lines) {
        result.lines += 1;
        const before = line.left - left;
        const after = right - line.right;
        if (Math.abs(before - after) > 2) {
          result.off.push({
            text: line.text.trim().slice(0, 40),
            where: where(block),
            left: Math.round(before),
            right: Math.round(after),
          });
        }
      }
    }
    return result;
  }
  const titlePage = centred(".titlepage");
  const titleSection = document.body.querySelector(".titlepage");
  titlePage.text = titleSection ? titleSection.innerText : null;
  const centredBlocks = centred(".center");
  const licenceSection = document.body.querySelector(".copyright");
  const licencePage = { text: licenceSection ? licenceSection.innerText : null };

  // --- tables -------------------------------------------------------------

  // The first lines of the cells of a row stand on one baseline: a probe
  // of no size at the start of each cell sits on its first line's baseline.
  const baselines = { rows: 0, off: [] };
  for (const row of document.body.querySelectorAll("tr")) {
    const probes = [];
    for (const cell of row.children) {
      if (!cell.textContent.trim()) continue;
      const probe = document.createElementNS("http://www.w3.org/1999/xhtml", "span");
      probe.style.cssText = "display:inline-block;width:0;height:0;vertical-align:baseline";
      let first = cell;
      while (first.firstElementChild && getComputedStyle(first.firstElementChild).display === "block") {
        first = first.firstElementChild;
      }
      first.insertBefore(probe, first.firstChild);
      probes.push([cell, probe]);
    }
    if (probes.length < 2) {
      probes.forEach(([, probe]) => probe.remove());
      continue;
    }
    baselines.rows += 1;
    const ys = probes.map(([, probe]) => probe.getBoundingClientRect().bottom);
    const spread = Math.max(...ys) - Math.min(...ys);
    if (spread > 1) {
      baselines.off.push({
        row: row.textContent.trim().replace(/\s+/g, " ").slice(0, 50),
        where: where(row),
        spread: Math.round(spread * 10) / 10,
      });
    }
    probes.forEach(([, probe]) => probe.remove());
  }

  // --- words of code ------------------------------------------------------

  // A word of code in a line of text (an option such as --preprocessors)
  // is never broken at one of its hyphens; only a word too long for any
  // line (over 30 characters) may be broken.
  const words = { checked: 0, broken: [] };
  for (const code of document.body.querySelectorAll("code, kbd, samp")) {
    if (code.closest("pre") || code.getClientRects().length === 0) continue;
    const nodes = [];
    let text = "";
    const tw = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let node = tw.nextNode(); node; node = tw.nextNode()) {
      nodes.push([node, text.length]);
      text += node.data;
    }
    const at = (offset) => {
      let found = nodes[0];
      for (const entry of nodes) if (entry[1] <= offset) found = entry;
      return [found[0], offset - found[1]];
    };
    for (const match of text.matchAll(/\S+/g)) {
      const word = match[0];
      if (!/\w-|-\w/.test(word) || word.length > 30) continue;
      words.checked += 1;
      const range = document.createRange();
      range.setStart(...at(match.index));
      const [endNode, endOffset] = at(match.index + word.length - 1);
      range.setEnd(endNode, endOffset + 1);
      const tops = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.bottom)));
      if (tops.size > 1) words.broken.push({ word, where: where(code) });
    }
  }

  // --- footnotes ----------------------------------------------------------

  // Each note ends with its back-links on the line of its last words, and
  // the pop-up shows the note alone. The pop-up is shown as calibre's
  // viewer makes it: the note, with the elements around it, in the page
  // where everything else is hidden (and list numbers with it).
  const notes = { checked: 0, backlinks: [], popup: [] };
  const OPS = "http://www.idpf.org/2007/ops";
  for (const aside of document.body.querySelectorAll('aside[role="doc-footnote"]')) {
    if (aside.getClientRects().length === 0) continue;
    notes.checked += 1;
    const name = where(aside);
    const link = aside.querySelector('a[role="doc-backlink"]');
    if (!link) {
      notes.backlinks.push({ where: name, problem: "no back-link" });
    } else {
      const before = document.createRange();
      before.setStart(link.parentElement, 0);
      before.setEndBefore(link);
      const words = Array.from(before.getClientRects()).filter((r) => r.width > 0);
      const last = words[words.length - 1];
      const own = link.getBoundingClientRect();
      if (!last || Math.abs(last.bottom - own.bottom) > 2) {
        notes.backlinks.push({ where: name, problem: "the back-links are on a line of their own" });
      }
    }
    const changed = [];
    const keep = new Set();
    for (let a = aside; a; a = a.parentElement) keep.add(a);
    for (let a = aside.parentElement; a && a !== root; a = a.parentElement) {
      for (const child of a.children) {
        if (!keep.has(child)) {
          changed.push([child, "display", child.style.display]);
          child.style.display = "none";
        }
      }
      if (getComputedStyle(a).display === "list-item") {
        changed.push([a, "listStyleType", a.style.listStyleType]);
        a.style.listStyleType = "none";
      }
    }
    const shown = document.body.innerText.trim();
    const rules = [];
    for (let a = aside; a && a !== root; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (parseFloat(style.borderTopWidth) > 0 || parseFloat(style.borderBottomWidth) > 0) {
        rules.push(where(a));
      }
    }
    for (const hr of aside.querySelectorAll("hr")) rules.push(where(hr));
    const refs = Array.from(document.querySelectorAll("a")).filter(
      (a) => a.getAttributeNS(OPS, "type") === "noteref" && a.hash === "#" + aside.id,
    );
    const number = refs.length ? refs[0].textContent.trim() : null;
    if (rules.length) notes.popup.push({ where: name, problem: "a rule", rule: rules[0] });
    if (number && (shown === number || shown.startsWith(number + " ") || shown.startsWith(number + "\n"))) {
      notes.popup.push({ where: name, problem: "the note's number", shown: shown.slice(0, 40) });
    }
    if (shown !== aside.innerText.trim()) {
      notes.popup.push({ where: name, problem: "more than the note", shown: shown.slice(0, 60) });
    }
    for (const [el, property, value] of changed.reverse()) el.style[property] = value;
  }

  // --- figures ------------------------------------------------------------

  // A figure and its caption on one page.
  const figures = { checked: 0, tall: [] };
  for (const el of document.body.querySelectorAll("figure")) {
    const rect = el.getBoundingClientRect();
    if (rect.height === 0) continue;
    figures.checked += 1;
    if (rect.height > height + 0.5) {
      figures.tall.push({ where: where(el), height: Math.round(rect.height), page: height });
    }
  }

  return {
    width,
    height,
    contrast: contrastResult,
    code,
    overflow,
    titlePage,
    licencePage,
    centred: centredBlocks,
    baselines,
    words,
    notes,
    figures,
  };
})()
